using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Npgsql.JwtSso.Testing.Internal.Vendors;

/// <summary>
/// Google Cloud: the metadata server, the OAuth token endpoint (jwt-bearer) and IAM Credentials generateIdToken, with
/// the request shapes, response bodies and error bodies Google.Apis.Auth 1.78 sends and expects (recipes.md §2).
/// </summary>
internal static partial class VendorEndpoints
{
    private const string MetadataFlavor = "Metadata-Flavor";
    private const string MetadataSaPath = "/computeMetadata/v1/instance/service-accounts/default";
    private const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private const string GoogleTokenAudience = "https://oauth2.googleapis.com/token";

    static partial void MapGcp(IEndpointRouteBuilder app, LocalJwtIssuer issuer)
    {
        app.MapIssuerEndpoint(issuer, "GET", "/", IssuerEndpointNames.GcpMetadataPing, context =>
        {
            // The detection ping: Google's library only checks the response header.
            context.Response.Headers[MetadataFlavor] = "Google";
            return IssuerHttp.WriteTextAsync(context, 200, string.Empty);
        });

        app.MapIssuerEndpoint(issuer, "GET", MetadataSaPath + "/identity", IssuerEndpointNames.GcpMetadataIdentity, context =>
        {
            if (!HasMetadataFlavor(context))
            {
                return MissingFlavorAsync(context);
            }

            var audience = context.Request.Query["audience"].ToString();
            if (string.IsNullOrEmpty(audience))
            {
                return MetadataTextAsync(context, 400, "non-empty audience parameter required");
            }

            var format = context.Request.Query["format"].ToString();
            var account = issuer.Gcp.MetadataServiceAccount;
            var options = issuer.Gcp.IdTokenOptions(account, audience, includeEmail: format == "full", authorizedParty: account.UniqueId);
            return MetadataTextAsync(context, 200, issuer.IssueToken(context, options).Value);
        });

        app.MapIssuerEndpoint(issuer, "GET", MetadataSaPath + "/token", IssuerEndpointNames.GcpMetadataToken, context =>
        {
            if (!HasMetadataFlavor(context))
            {
                return MissingFlavorAsync(context);
            }

            var (token, expiresIn) = issuer.Gcp.IssueAccessToken(issuer.Gcp.MetadataServiceAccount);
            context.Response.Headers[MetadataFlavor] = "Google";
            return IssuerHttp.WriteJsonAsync(context, 200, new Dictionary<string, object?>
            {
                ["access_token"] = token,
                ["expires_in"] = expiresIn,
                ["token_type"] = "Bearer",
            });
        });

        app.MapGet(MetadataSaPath + "/email", context => MetadataTextAsync(context, 200, issuer.Gcp.MetadataServiceAccount.Email));
        app.MapGet("/computeMetadata/v1/universe/universe-domain", context => MetadataTextAsync(context, 200, "googleapis.com"));

        app.MapIssuerEndpoint(issuer, "POST", "/gcp/oauth2/token", IssuerEndpointNames.GcpOAuthToken, context => GcpOAuthTokenAsync(context, issuer));
        app.MapIssuerEndpoint(issuer, "POST", "/gcp/sts/v1/token", IssuerEndpointNames.GcpStsToken, context => GcpStsTokenAsync(context, issuer));
        app.MapIssuerEndpoint(issuer, "POST", "/v1/projects/{project}/serviceAccounts/{**resource}", IssuerEndpointNames.GcpGenerateIdToken, context => GcpGenerateIdTokenAsync(context, issuer));
    }

    private static async Task GcpOAuthTokenAsync(HttpContext context, LocalJwtIssuer issuer)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false) : null;
        var grantType = form?["grant_type"].ToString();
        if (grantType != JwtBearerGrant)
        {
            await OAuthErrorAsync(context, 400, "unsupported_grant_type", $"Invalid grant_type: {grantType}").ConfigureAwait(false);
            return;
        }

        var (claims, account, error) = VerifyAssertion(issuer, form!["assertion"].ToString());
        if (account is null)
        {
            await OAuthErrorAsync(context, 400, "invalid_grant", error!).ConfigureAwait(false);
            return;
        }

        if (claims.TryGetProperty("target_audience", out var targetAudience) && targetAudience.GetString() is { Length: > 0 } audience)
        {
            var options = issuer.Gcp.IdTokenOptions(account, audience, includeEmail: true, authorizedParty: account.Email);
            await IssuerHttp.WriteJsonAsync(context, 200, new Dictionary<string, object?> { ["id_token"] = issuer.IssueToken(context, options).Value }).ConfigureAwait(false);
            return;
        }

        if (claims.TryGetProperty("scope", out var scope) && scope.GetString() is { Length: > 0 })
        {
            var (token, expiresIn) = issuer.Gcp.IssueAccessToken(account);
            await IssuerHttp.WriteJsonAsync(context, 200, new Dictionary<string, object?>
            {
                ["access_token"] = token,
                ["expires_in"] = expiresIn,
                ["token_type"] = "Bearer",
            }).ConfigureAwait(false);
            return;
        }

        await OAuthErrorAsync(context, 400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.").ConfigureAwait(false);
    }

    private static async Task GcpStsTokenAsync(HttpContext context, LocalJwtIssuer issuer)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false) : null;
        if (form?["grant_type"].ToString() != "urn:ietf:params:oauth:grant-type:token-exchange")
        {
            await OAuthErrorAsync(context, 400, "unsupported_grant_type", "Invalid value for \"grant_type\".").ConfigureAwait(false);
            return;
        }

        var audience = form["audience"].ToString();
        var subjectToken = form["subject_token"].ToString();
        var parts = subjectToken.Split('.');
        string? subject = null;
        if (parts.Length == 3)
        {
            try
            {
                var claims = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[1]), TestingJsonContext.Default.JsonElement);
                subject = claims.TryGetProperty("sub", out var sub) ? sub.GetString() : null;
            }
            catch (Exception e) when (e is FormatException or JsonException)
            {
                subject = null;
            }
        }

        if (string.IsNullOrEmpty(audience) || string.IsNullOrEmpty(subject))
        {
            await OAuthErrorAsync(context, 400, "invalid_grant", "The subject token is not a valid JWT or the audience is missing.").ConfigureAwait(false);
            return;
        }

        var (token, expiresIn) = issuer.Gcp.IssueAccessToken(issuer.Gcp.FederatedPrincipal(audience, subject));
        await IssuerHttp.WriteJsonAsync(context, 200, new Dictionary<string, object?>
        {
            ["access_token"] = token,
            ["issued_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
            ["token_type"] = "Bearer",
            ["expires_in"] = expiresIn,
        }).ConfigureAwait(false);
    }

    private static async Task GcpGenerateIdTokenAsync(HttpContext context, LocalJwtIssuer issuer)
    {
        const string Suffix = ":generateIdToken";
        var resource = context.Request.RouteValues["resource"]?.ToString() ?? string.Empty;
        if (!resource.EndsWith(Suffix, StringComparison.Ordinal))
        {
            await GoogleApiErrorAsync(context, 404, "NOT_FOUND", "The requested URL was not found on this server.").ConfigureAwait(false);
            return;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        var caller = authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            ? issuer.Gcp.AccountOfAccessToken(authorization["Bearer ".Length..])
            : null;
        if (caller is null)
        {
            await GoogleApiErrorAsync(context, 401, "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.").ConfigureAwait(false);
            return;
        }

        GenerateIdTokenRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(context.Request.Body, TestingJsonContext.Default.GenerateIdTokenRequest, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body?.Audience is not { Length: > 0 } audience)
        {
            await GoogleApiErrorAsync(context, 400, "INVALID_ARGUMENT", "Request contains an invalid argument.").ConfigureAwait(false);
            return;
        }

        var targetEmail = resource[..^Suffix.Length];
        var target = issuer.Gcp.FindAccount(targetEmail);
        var chain = new List<string> { caller.Email };
        chain.AddRange((body.Delegates ?? []).Select(d => d[(d.LastIndexOf('/') + 1)..]));
        chain.Add(targetEmail);
        var allowed = target is not null;
        for (var i = 0; allowed && i < chain.Count - 1; i++)
        {
            allowed = issuer.Gcp.IsGranted(chain[i], chain[i + 1]);
        }

        if (!allowed || target is null)
        {
            // Google answers 403 both for a missing permission and for an unknown account.
            await GoogleApiErrorAsync(context, 403, "PERMISSION_DENIED",
                "Permission 'iam.serviceAccounts.getOpenIdToken' denied on resource (or it may not exist).").ConfigureAwait(false);
            return;
        }

        var options = issuer.Gcp.IdTokenOptions(target, audience, includeEmail: body.IncludeEmail, authorizedParty: target.UniqueId);
        await IssuerHttp.WriteJsonAsync(context, 200, new Dictionary<string, object?> { ["token"] = issuer.IssueToken(context, options).Value }).ConfigureAwait(false);
    }

    /// <summary>Checks a jwt-bearer assertion like Google does: known key, RS256 signature, iss = the key's account, aud, iat/exp.</summary>
    private static (JsonElement Claims, GcpServiceAccount? Account, string? Error) VerifyAssertion(LocalJwtIssuer issuer, string assertion)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return (default, null, "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.");
        }

        JsonElement header, claims;
        byte[] signature;
        try
        {
            header = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[0]), TestingJsonContext.Default.JsonElement);
            claims = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[1]), TestingJsonContext.Default.JsonElement);
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return (default, null, "Invalid JWT Signature.");
        }

        var keyId = header.TryGetProperty("kid", out var kid) ? kid.GetString() : null;
        if (keyId is null || issuer.Gcp.FindKey(keyId) is not { } key)
        {
            return (claims, null, "Invalid JWT Signature.");
        }

        using (var rsa = RSA.Create(key))
        {
            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return (claims, null, "Invalid JWT Signature.");
            }
        }

        var iss = claims.TryGetProperty("iss", out var i) ? i.GetString() : null;
        if (iss is null || issuer.Gcp.FindAccount(iss) is not { } account)
        {
            return (claims, null, "Invalid grant: account not found");
        }

        var aud = claims.TryGetProperty("aud", out var a) ? a.GetString() : null;
        if (aud != GoogleTokenAudience && aud != issuer.Gcp.OAuthTokenUri.ToString())
        {
            return (claims, null, "Invalid JWT: Failed audience check.");
        }

        var now = issuer.Time.GetUtcNow().ToUnixTimeSeconds();
        var iat = claims.TryGetProperty("iat", out var t) && t.TryGetInt64(out var iatValue) ? iatValue : 0;
        var exp = claims.TryGetProperty("exp", out var e2) && e2.TryGetInt64(out var expValue) ? expValue : 0;
        if (iat == 0 || exp == 0 || exp <= now || iat > now + 60 || exp - iat > 3600)
        {
            return (claims, null, "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.");
        }

        return (claims, account, null);
    }

    private static bool HasMetadataFlavor(HttpContext context)
        => string.Equals(context.Request.Headers[MetadataFlavor].ToString(), "Google", StringComparison.Ordinal);

    private static Task MissingFlavorAsync(HttpContext context)
        => MetadataTextAsync(context, 403, "Missing Metadata-Flavor:Google header.");

    private static Task MetadataTextAsync(HttpContext context, int status, string text)
    {
        context.Response.Headers[MetadataFlavor] = "Google";
        return IssuerHttp.WriteTextAsync(context, status, text, "application/text");
    }

    private static Task OAuthErrorAsync(HttpContext context, int status, string error, string description)
        => IssuerHttp.WriteJsonAsync(context, status, new Dictionary<string, object?> { ["error"] = error, ["error_description"] = description });

    private static Task GoogleApiErrorAsync(HttpContext context, int status, string code, string message)
        => IssuerHttp.WriteJsonAsync(context, status, new Dictionary<string, object?>
        {
            ["error"] = new Dictionary<string, object?> { ["code"] = status, ["message"] = message, ["status"] = code },
        });

    internal sealed record GenerateIdTokenRequest(string? Audience, bool IncludeEmail, IReadOnlyList<string>? Delegates);
}
