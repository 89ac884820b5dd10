using System.Security.Cryptography;

namespace Npgsql.JwtSso.Testing.Internal.Vendors;

/// <summary>The claims of an Entra app-only access token, v1 or v2 (<see cref="EntraDirectory.TokenVersion"/>).</summary>
internal static class EntraTokens
{
    // authenticationClass is appidacr/azpacr: 0 public client, 1 secret, 2 certificate or federated/managed.
    internal static JwtMintOptions MintOptions(LocalJwtIssuer issuer, string resource, string appClientId, string clientId, string objectId, string authenticationClass)
    {
        var entra = issuer.Entra;
        var v2 = entra.TokenVersion == 2;
        var options = new JwtMintOptions
        {
            Issuer = entra.CurrentIssuer,
            Subject = objectId,
            Audience = v2 ? appClientId : resource,
            Lifetime = entra.TokenLifetime,
            NotBefore = DateTimeOffset.FromUnixTimeSeconds(issuer.Time.GetUtcNow().ToUnixTimeSeconds()),
        };
        options.Claims["oid"] = objectId;
        options.Claims["tid"] = entra.TenantId;
        options.Claims["ver"] = v2 ? "2.0" : "1.0";
        options.Claims["uti"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        options.Claims["idtyp"] = "app";
        if (v2)
        {
            options.Claims["azp"] = clientId;
            options.Claims["azpacr"] = authenticationClass;
        }
        else
        {
            options.Claims["appid"] = clientId;
            options.Claims["appidacr"] = authenticationClass;
            options.Claims["idp"] = entra.V1Issuer;
        }

        return options;
    }
}
