namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>Any OAuth 2.0 authorization server: the token endpoint is given, or discovered from the issuer.</summary>
internal sealed class GenericPreset : IClientCredentialsPreset
{
    internal static readonly GenericPreset Instance = new();

    internal static readonly SourceKind<ClientCredentialsTokenSourceOptions> Kind = new("ClientCredentials", (o, http, time) => new ClientCredentialsTokenSource(o, http, time));

    public string SourceType => nameof(ClientCredentialsTokenSource);

    public string SourceName(ClientCredentialsTokenSourceOptions options) => "oauth:" + (options.TokenEndpoint ?? options.Issuer)?.Authority;

    public void Prepare(ClientCredentialsTokenSourceOptions copy, List<string> errors)
    {
        if (copy.Issuer is null && copy.TokenEndpoint is null)
        {
            errors.Add("Issuer or TokenEndpoint is required: set the authorization server's issuer URL (the token endpoint is then discovered) or its token endpoint.");
        }

        OptionsValidator.CheckUrl(nameof(copy.Issuer), copy.Issuer, errors);
        OptionsValidator.CheckUrl(nameof(copy.TokenEndpoint), copy.TokenEndpoint, errors);
    }
}
