using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Npgsql.JwtSso.Testing.Internal.Vendors;

/// <summary>Checks how a confidential client authenticates at the Entra token endpoint: secret, certificate assertion, or federated assertion.</summary>
internal static class EntraAssertions
{
    private const string JwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    internal sealed record Failure(int Status, string Code, int Number, string Description);

    internal sealed record Result(Failure? Error, string AuthenticationClass);

    internal static async Task<Result> AuthenticateAsync(HttpContext context, LocalJwtIssuer issuer, IFormCollection form, EntraDirectory.EntraClient client)
    {
        if (form.TryGetValue("client_secret", out var secret))
        {
            return client.Secret is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(client.Secret), Encoding.UTF8.GetBytes(secret.ToString()))
                ? new Result(null, "1")
                : Fail(401, "invalid_client", 7000215, $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client.ClientId}'.");
        }

        var assertion = form["client_assertion"].ToString();
        if (form["client_assertion_type"].ToString() != JwtBearer || assertion.Length == 0)
        {
            return Fail(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }

        var parts = assertion.Split('.');
        if (parts.Length != 3 || !TryReadJson(parts[0], out var header) || !TryReadJson(parts[1], out var payload))
        {
            return Fail(401, "invalid_client", 50027, "JWT token is invalid or malformed.");
        }

        var isCertificate = header.TryGetProperty("x5t#S256", out _) || header.TryGetProperty("x5t", out _) || header.TryGetProperty("x5c", out _);
        return isCertificate
            ? CheckCertificateAssertion(context, issuer, client, parts, header, payload)
            : await CheckFederatedAssertionAsync(issuer, client, assertion).ConfigureAwait(false);
    }

    private static Result CheckCertificateAssertion(HttpContext context, LocalJwtIssuer issuer, EntraDirectory.EntraClient client, string[] parts, JsonElement header, JsonElement payload)
    {
        if (client.Certificate is not { } certificate)
        {
            return Fail(401, "invalid_client", 700027, "Client assertion failed signature validation. [Reason - The key was not found.]");
        }

        var registered = Base64Url.EncodeToString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        var presented = Text(header, "x5t#S256");
        if (presented is not null && presented != registered)
        {
            return Fail(401, "invalid_client", 700027, $"The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '{presented}']");
        }

        using var rsa = certificate.GetRSAPublicKey();
        var padding = Text(header, "alg") == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (rsa is null || !TryDecode(parts[2], out var signature) || !rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, padding))
        {
            return Fail(401, "invalid_client", 700027, "Client assertion failed signature validation.");
        }

        if (Text(payload, "iss") != client.ClientId || Text(payload, "sub") != client.ClientId)
        {
            return Fail(401, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
        }

        var tenant = issuer.Entra.TenantId;
        if (Text(payload, "aud") is not { } audience || !audience.EndsWith($"/{tenant}/oauth2/v2.0/token", StringComparison.OrdinalIgnoreCase)
            || !audience.StartsWith(IssuerHttp.BaseUrl(context), StringComparison.OrdinalIgnoreCase))
        {
            return Fail(401, "invalid_client", 700212, "Client assertion audience claim does not match Realm issuer.");
        }

        return IsCurrent(payload, issuer) ? new Result(null, "2") : Fail(401, "invalid_client", 700024, "Client assertion is not within its valid time range.");
    }

    private static async Task<Result> CheckFederatedAssertionAsync(LocalJwtIssuer issuer, EntraDirectory.EntraClient client, string assertion)
    {
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            IssuerSigningKeys = new JsonWebKeySet(issuer.JwksJson).GetSigningKeys(),
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
        }).ConfigureAwait(false);
        if (!validation.IsValid || validation.SecurityToken is not JsonWebToken token)
        {
            return Fail(400, "invalid_client", 50027, "JWT token is invalid or malformed.");
        }

        var record = $"Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.";
        if (client.FederatedIssuer is null || token.Issuer != client.FederatedIssuer)
        {
            return Fail(400, "invalid_client", 700211, $"No matching federated identity record found for presented assertion issuer '{token.Issuer}'. {record}");
        }

        if (!token.Audiences.Contains(EntraDirectory.FederatedTokenAudience))
        {
            return Fail(400, "invalid_client", 700212, $"No matching federated identity record found for presented assertion audience '{string.Join(",", token.Audiences)}'. {record}");
        }

        if (token.Subject != client.FederatedSubject)
        {
            return Fail(400, "invalid_client", 700213, $"No matching federated identity record found for presented assertion subject '{token.Subject}'. {record}");
        }

        return token.ValidTo > issuer.Time.GetUtcNow().UtcDateTime
            ? new Result(null, "2")
            : Fail(400, "invalid_client", 700024, "Client assertion is not within its valid time range.");
    }

    private static bool IsCurrent(JsonElement payload, LocalJwtIssuer issuer)
    {
        var now = issuer.Time.GetUtcNow().ToUnixTimeSeconds();
        var exp = Seconds(payload, "exp");
        var nbf = Seconds(payload, "nbf");
        const int Skew = 300;
        return exp is { } e && now < e + Skew && (nbf is not { } n || now + Skew >= n);
    }

    // MSAL writes nbf/exp of client assertions as JSON strings; other clients write numbers.
    private static long? Seconds(JsonElement payload, string name)
    {
        if (!payload.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) => s,
            _ => null,
        };
    }

    private static Result Fail(int status, string code, int number, string description) => new(new Failure(status, code, number, description), string.Empty);

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryDecode(string part, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(part);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    private static bool TryReadJson(string part, out JsonElement element)
    {
        element = default;
        if (!TryDecode(part, out var bytes))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            element = document.RootElement.Clone();
            return element.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
