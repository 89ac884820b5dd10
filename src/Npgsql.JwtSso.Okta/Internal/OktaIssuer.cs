using Npgsql.JwtSso.OAuth.Internal;

namespace Npgsql.JwtSso.Okta.Internal;

/// <summary>Works out a custom authorization server's issuer from the Okta options, refusing the org server.</summary>
internal static class OktaIssuer
{
    private const string OrgServerHint =
        "that is Okta's org authorization server, which cannot issue client-credentials tokens with custom scopes: use a custom authorization server, https://{domain}/oauth2/{authorizationServerId} (for example 'default'; see Security > API > Authorization Servers).";

    // Okta ids are URL-safe; 'v1' would address the org server's endpoints.
    internal static Uri? Resolve(OktaTokenSourceOptions options, List<string> errors)
    {
        if (options.Issuer is { } issuer)
        {
            if (options.Domain is not null || options.AuthorizationServerId is not null)
            {
                errors.Add("Issuer and Domain/AuthorizationServerId are alternatives: set either Issuer, or Domain and AuthorizationServerId.");
            }

            return FromIssuer(issuer, errors);
        }

        if (string.IsNullOrWhiteSpace(options.Domain))
        {
            errors.Add("Domain is required (or Issuer): set the Okta domain, for example 'dev-123456.okta.com'.");
        }

        if (string.IsNullOrWhiteSpace(options.AuthorizationServerId))
        {
            errors.Add("AuthorizationServerId is required: set the id of the custom authorization server, for example 'default' (Okta's built-in one) or 'aus…' (Security > API > Authorization Servers). Without it the request would go to Okta's org authorization server, which cannot issue client-credentials tokens with custom scopes.");
        }
        else if (!IsServerId(options.AuthorizationServerId))
        {
            errors.Add(options.AuthorizationServerId.Equals("v1", StringComparison.OrdinalIgnoreCase)
                ? $"AuthorizationServerId 'v1' addresses /oauth2/v1/token: {OrgServerHint}"
                : $"AuthorizationServerId '{options.AuthorizationServerId}' is not an authorization server id: use the id shown under Security > API > Authorization Servers (for example 'default' or 'aus…'), not a URL.");
        }

        if (string.IsNullOrWhiteSpace(options.Domain))
        {
            return null;
        }

        var domain = options.Domain.Trim().TrimEnd('/');
        var text = domain.Contains("://", StringComparison.Ordinal) ? domain : "https://" + domain;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var baseUri) || baseUri.AbsolutePath != "/" || !string.IsNullOrEmpty(baseUri.Query))
        {
            errors.Add($"Domain '{options.Domain}' is not an Okta domain: give the host only, for example 'dev-123456.okta.com' (use Issuer for a full URL).");
            return null;
        }

        OptionsValidator.CheckUrl("Domain", baseUri, errors);
        return errors.Count > 0 ? null : new Uri($"{baseUri.GetLeftPart(UriPartial.Authority)}/oauth2/{options.AuthorizationServerId}");
    }

    private static Uri? FromIssuer(Uri issuer, List<string> errors)
    {
        var before = errors.Count;
        OptionsValidator.CheckUrl("Issuer", issuer, errors);
        if (errors.Count > before)
        {
            return null;
        }

        var segments = issuer.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || (segments.Length == 1 && segments[0] == "oauth2")
            || (segments.Length >= 2 && segments[0] == "oauth2" && segments[1].Equals("v1", StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"Issuer '{issuer}': {OrgServerHint}");
            return null;
        }

        if (segments.Length != 2 || segments[0] != "oauth2" || !IsServerId(segments[1]))
        {
            errors.Add($"Issuer '{issuer}' is not a custom authorization server's issuer: it must look like https://{{domain}}/oauth2/{{authorizationServerId}} (copy the 'Issuer URI' from Security > API > Authorization Servers; no '/v1/token').");
            return null;
        }

        return new Uri(issuer.GetLeftPart(UriPartial.Authority) + "/oauth2/" + segments[1]);
    }

    private static bool IsServerId(string id)
        => id.Length > 0 && !id.Equals("v1", StringComparison.OrdinalIgnoreCase) && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
