using Microsoft.Extensions.Configuration;
using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.OAuth.Internal;

namespace Npgsql.JwtSso.Okta.Internal;

/// <summary>What configuration can set of <see cref="OktaTokenSourceOptions"/>: the generic settings plus the Okta address.</summary>
internal sealed class OktaSettings : ClientCredentialsSettings
{
    public string? Domain { get; set; }

    public string? AuthorizationServerId { get; set; }

    /// <summary>Binds the Okta options strictly without reflection (see <see cref="ClientCredentialsBinding"/>).</summary>
    public static void Bind(IConfiguration configuration, OktaTokenSourceOptions options)
        => ClientCredentialsBinding.Bind(configuration, options, new OktaSettings(), static (c, s) => c.Bind(s, static b => b.ErrorOnUnknownConfiguration = true));

    public override void CopyFrom(ClientCredentialsTokenSourceOptions options)
    {
        base.CopyFrom(options);
        var okta = (OktaTokenSourceOptions)options;
        Domain = okta.Domain;
        AuthorizationServerId = okta.AuthorizationServerId;
    }

    public override void CopyTo(ClientCredentialsTokenSourceOptions options)
    {
        base.CopyTo(options);
        var okta = (OktaTokenSourceOptions)options;
        okta.Domain = Domain;
        okta.AuthorizationServerId = AuthorizationServerId;
    }
}
