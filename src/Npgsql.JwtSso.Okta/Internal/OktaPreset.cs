using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.OAuth.Internal;

namespace Npgsql.JwtSso.Okta.Internal;

/// <summary>
/// Okta on top of the generic grant: the custom authorization server's issuer and token endpoint, the scopes its
/// client-credentials grant can give, Okta's rate-limit headers and its console's wording in error hints.
/// </summary>
internal sealed class OktaPreset : IClientCredentialsPreset
{
    internal static readonly OktaPreset Instance = new();

    internal static readonly SourceKind<OktaTokenSourceOptions> Kind = new("Okta", (o, http, time) => new OktaTokenSource(o, http, time));

    private static readonly string[] RateLimitHeaders = ["X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"];

    public string SourceType => nameof(OktaTokenSource);

    public string RateLimitAdvice => " All custom authorization servers of an Okta org share one rate-limit bucket, and one app may use only part of it: look for other clients calling /oauth2/*/v1/token, and keep one JwtTokenCache per identity.";

    public string OpaqueTokenHint => "Okta's custom authorization servers issue JWT access tokens; check that the URL is https://{domain}/oauth2/{authorizationServerId}.";

    public string SourceName(ClientCredentialsTokenSourceOptions options) => "okta";

    public void Prepare(ClientCredentialsTokenSourceOptions copy, List<string> errors)
    {
        var issuer = OktaIssuer.Resolve((OktaTokenSourceOptions)copy, errors);
        if (copy.Scopes.Count == 0)
        {
            errors.Add("Scopes is empty: Okta's client-credentials grant needs at least one custom scope defined on the authorization server (for example Scopes = { \"crdb.login\" }).");
        }

        foreach (var scope in copy.Scopes)
        {
            if (scope is "openid" or "profile" or "email" or "address" or "phone" or "offline_access" || scope.StartsWith("okta.", StringComparison.Ordinal))
            {
                errors.Add($"Scopes holds '{scope}', which the client-credentials grant of a custom authorization server cannot grant (OpenID Connect and okta.* scopes are for users or the org server): request your custom scope instead.");
            }
        }

        OptionsValidator.CheckUrl(nameof(copy.TokenEndpoint), copy.TokenEndpoint, errors);
        copy.Issuer = issuer;
        copy.TokenEndpoint ??= issuer is null ? null : new Uri(issuer.AbsoluteUri + "/v1/token");
    }

    /// <remarks>
    /// Okta sends its <c>X-Rate-Limit-*</c> headers on every response: <c>X-Rate-Limit-Reset</c> is when the rate-limit
    /// window resets, which is a reason to wait only when the answer is 429. On any other status only <c>Retry-After</c>
    /// counts, so a 503 during an outage does not park the cache until the end of the minute.
    /// </remarks>
    public TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time)
        => response?.StatusCode != HttpStatusCode.TooManyRequests ? RetryAfterReader.Read(response, time)
            : JwtSsoRetryAfter.TryParse(response.Headers, time, out var delay) ? delay
            : null;

    public string RateLimitDetails(HttpResponseMessage? response)
    {
        var parts = new List<string>(RateLimitHeaders.Length);
        foreach (var name in RateLimitHeaders)
        {
            if (response is not null && TryGetLong(response.Headers, name, out var value))
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {value}"));
            }
        }

        return parts.Count == 0 ? string.Empty : $" ({string.Join(", ", parts)})";
    }

    public string? ErrorHint(string error, ClientCredentialsTokenSourceOptions options) => error switch
    {
        "unauthorized_client" => "The app may not use the client-credentials grant: in Okta, make it an API Services app (or enable Client Credentials under its grant types), and check that an access policy rule of this authorization server allows the Client Credentials grant for it.",
        "access_denied" => "No access policy of this authorization server lets the app get a token: add a policy assigned to this client with a rule that allows the Client Credentials grant and the requested scopes.",
        "invalid_scope" => $"The scopes ({string.Join(' ', options.Scopes)}) are not all defined on this authorization server, or no access-policy rule grants them to this app: add them under Security > API > Authorization Servers > Scopes and allow them in the rule.",
        _ => null,
    };

    private static bool TryGetLong(HttpResponseHeaders headers, string name, out long value)
    {
        value = 0;
        return headers.TryGetValues(name, out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }
}
