using Microsoft.AspNetCore.Http;
using Npgsql.JwtSso.Testing.Internal;

namespace Npgsql.JwtSso.Testing;

public sealed partial class LocalJwtIssuer
{
    private static readonly object TokenFaultKey = new();

    /// <summary>Mints a signed JWT (compact JWS) as described by <paramref name="options"/>; see <see cref="JwtDefects"/> for broken tokens.</summary>
    /// <param name="options">What to put in the token.</param>
    /// <returns>The token text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">Both <see cref="JwtMintOptions.Audience"/> and <see cref="JwtMintOptions.Audiences"/> are set, or a lifetime is not positive.</exception>
    /// <exception cref="KeyNotFoundException"><see cref="JwtMintOptions.KeyId"/> names no published key.</exception>
    public string MintToken(JwtMintOptions options) => Issue(options).Value;

    /// <summary>Mints a valid token from the issuer's <see cref="DefaultKey"/>, issued now on <see cref="Time"/>.</summary>
    /// <param name="subject">The <c>sub</c> claim.</param>
    /// <param name="audience">The <c>aud</c> claim.</param>
    /// <param name="lifetime">The lifetime (<c>exp</c> − <c>iat</c>).</param>
    /// <returns>The token text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subject"/> or <paramref name="audience"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="lifetime"/> is not positive.</exception>
    public string MintToken(string subject, string audience, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(audience);
        return MintToken(new JwtMintOptions { Subject = subject, Audience = audience, Lifetime = lifetime });
    }

    /// <summary>
    /// Mints the token an endpoint serves for <paramref name="context"/>, honouring a token fault
    /// (<see cref="IssuerFault.NonJwtToken"/>, <see cref="IssuerFault.ExpiredToken"/>) applied to this request by
    /// <see cref="ApplyFaultAsync"/>. Vendor endpoints must mint through this method.
    /// </summary>
    internal IssuedToken IssueToken(HttpContext context, JwtMintOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var fault = context.Items.TryGetValue(TokenFaultKey, out var f) ? (IssuerFault?)f : null;
        switch (fault?.Kind)
        {
            case IssuerFaultKind.NonJwtToken:
                var now = NowInWholeSeconds();
                return new IssuedToken("opaque-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)), now, now + (options.Lifetime ?? _options.TokenLifetime));
            case IssuerFaultKind.ExpiredToken:
                var expired = options.Clone();
                expired.Defects |= JwtDefects.Expired;
                return Issue(expired);
            default:
                return Issue(options);
        }
    }

    internal IssuedToken Issue(JwtMintOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Audience is not null && options.Audiences is not null)
        {
            throw new ArgumentException("JwtMintOptions.Audience and JwtMintOptions.Audiences are both set; set one of them.", nameof(options));
        }

        var lifetime = options.Lifetime ?? _options.TokenLifetime;
        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentException($"JwtMintOptions.Lifetime is {lifetime}; set a positive lifetime (use JwtDefects.Expired for an expired token).", nameof(options));
        }

        var defects = options.Defects;
        var now = NowInWholeSeconds();
        var issuedAt = options.IssuedAt ?? now;
        if (defects.HasFlag(JwtDefects.Expired))
        {
            issuedAt = now - TimeSpan.FromHours(1) - lifetime;
        }

        if (defects.HasFlag(JwtDefects.IssuedInFuture))
        {
            issuedAt = now + TimeSpan.FromHours(1);
        }

        issuedAt = WholeSeconds(issuedAt);
        var expiresAt = WholeSeconds(issuedAt + lifetime);
        var key = options.SigningKey ?? (options.KeyId is null ? DefaultKey : GetKey(options.KeyId));

        var header = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["alg"] = key.Algorithm,
            ["kid"] = key.KeyId,
            ["typ"] = "JWT",
        };
        if (defects.HasFlag(JwtDefects.MissingKeyId))
        {
            header.Remove("kid");
        }

        if (defects.HasFlag(JwtDefects.AlgorithmMismatch))
        {
            header["alg"] = key.Algorithm == "RS256" ? "ES256" : "RS256";
        }

        var unsigned = defects.HasFlag(JwtDefects.AlgorithmNone);
        if (unsigned)
        {
            header["alg"] = "none";
        }

        var payload = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["iss"] = defects.HasFlag(JwtDefects.WrongIssuer) ? JwtMintOptions.WrongIssuerValue : options.Issuer ?? Issuer,
            ["sub"] = options.Subject ?? _options.DefaultSubject,
            ["aud"] = defects.HasFlag(JwtDefects.WrongAudience)
                ? JwtMintOptions.WrongAudienceValue
                : options.Audiences is { } many ? many.ToArray() : options.Audience ?? _options.DefaultAudience,
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
        };
        var notBefore = defects.HasFlag(JwtDefects.NotYetValid) ? now + TimeSpan.FromHours(1) : options.NotBefore;
        if (notBefore is { } nbf)
        {
            payload["nbf"] = nbf.ToUnixTimeSeconds();
        }

        if (!defects.HasFlag(JwtDefects.MissingExpiry))
        {
            payload["exp"] = expiresAt.ToUnixTimeSeconds();
        }

        Overlay(payload, options.Claims);
        Overlay(header, options.Header);

        if (unsigned)
        {
            return new IssuedToken(JwtWriter.Write(header, payload, null), now, expiresAt);
        }

        if (defects.HasFlag(JwtDefects.UnregisteredKey))
        {
            using var impostor = key.CreateImpostor();
            return new IssuedToken(JwtWriter.Write(header, payload, impostor), now, expiresAt);
        }

        return new IssuedToken(JwtWriter.Write(header, payload, key), now, expiresAt);
    }

    // JWT times are whole seconds; truncating "now" first keeps exp − now equal to the lifetime.
    private DateTimeOffset NowInWholeSeconds() => WholeSeconds(Time.GetUtcNow());

    private static DateTimeOffset WholeSeconds(DateTimeOffset value) => DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());

    private static void Overlay(Dictionary<string, object?> target, IDictionary<string, object?> overrides)
    {
        foreach (var (name, value) in overrides)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else
            {
                target[name] = value;
            }
        }
    }
}
