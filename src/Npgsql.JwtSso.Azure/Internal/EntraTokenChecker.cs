using System.Text.Json;

namespace Npgsql.JwtSso.Azure.Internal;

/// <summary>
/// Refuses Entra tokens whose <c>aud</c> or <c>iss</c> cannot match the cluster, explaining v1 and v2 tokens, so the
/// problem surfaces here with a fix rather than as the cluster's bare "invalid audience"/"invalid issuer".
/// </summary>
internal static class EntraTokenChecker
{
    internal const string V1IssuerFormat = "https://sts.windows.net/{0}/";
    internal const string V2IssuerFormat = "https://login.microsoftonline.com/{0}/v2.0";

    internal static string? FindProblem(JwtToken token, AzureSourceDescription description, IList<string> expectedAudiences, IList<string> expectedIssuers)
    {
        var version = ClaimText(token, "ver") ?? "unknown";
        var tenant = ClaimText(token, "tid") ?? "<tenant>";
        var audiences = token.Audiences;
        var audienceText = audiences.Count == 0 ? "(none)" : string.Join(", ", audiences.Select(a => $"'{a}'"));

        foreach (var audience in audiences)
        {
            if (WellKnownAzureResources.TryDescribe(audience, out var service) && !expectedAudiences.Contains(audience))
            {
                return $"The Entra token's audience is {audienceText}, which is {service}, Azure's own resource, not the cluster: "
                    + $"the identity was given a token for another service. Request the cluster's app registration instead (Scope 'api://<cluster-app-client-id>/.default'; now '{description.Scope}').";
            }
        }

        if (expectedAudiences.Count > 0 && !audiences.Any(expectedAudiences.Contains))
        {
            return $"The Entra token's audience is {audienceText} (token version {version}), but ExpectedAudiences lists {Quote(expectedAudiences)}, so the cluster would answer 'invalid audience'. "
                + $"v1 tokens carry the resource exactly as requested ('{description.Resource}'); v2 tokens carry the cluster app's client id (a GUID). "
                + "The version is chosen by the cluster app's manifest (accessTokenAcceptedVersion / requestedAccessTokenVersion), not by the endpoint. "
                + $"Add {audienceText} to the cluster's server.jwt_authentication.audience (a JSON array may hold both forms) and to ExpectedAudiences, or fix Scope.";
        }

        if (expectedIssuers.Count > 0 && (token.Issuer is null || !expectedIssuers.Contains(token.Issuer)))
        {
            var v1 = string.Format(System.Globalization.CultureInfo.InvariantCulture, V1IssuerFormat, tenant);
            var v2 = string.Format(System.Globalization.CultureInfo.InvariantCulture, V2IssuerFormat, tenant);
            return $"The Entra token's issuer is '{token.Issuer ?? "(none)"}' (token version {version}), but ExpectedIssuers lists {Quote(expectedIssuers)}, so the cluster would answer 'invalid issuer'. "
                + $"Entra's v1 tokens are issued by '{v1}' and v2 tokens by '{v2}' (exact strings: mind the trailing slash of v1); the version follows the cluster app's manifest (accessTokenAcceptedVersion). "
                + $"List the form you get in the cluster's server.jwt_authentication.issuers.configuration (a JSON array such as [\"{v1}\", \"{v2}\"] accepts both) and in ExpectedIssuers, and check that the tenant is the intended one.";
        }

        return null;
    }

    private static string? ClaimText(JwtToken token, string name)
        => token.TryGetClaim(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Quote(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"'{v}'"));
}
