using System.Net;

namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>Validates <see cref="ClientCredentialsTokenSourceOptions"/>, collecting every problem before failing.</summary>
internal static class OptionsValidator
{
    private static readonly HashSet<string> ReservedParameters = new(StringComparer.Ordinal)
    {
        "grant_type", "client_id", "client_secret", "client_assertion", "client_assertion_type", "scope", "audience", "resource",
    };

    /// <summary>Checks the grant's own options on a copy the preset has prepared; returns the signing key for <c>private_key_jwt</c>.</summary>
    internal static Microsoft.IdentityModel.Tokens.SigningCredentials? Validate(ClientCredentialsTokenSourceOptions options, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            errors.Add("ClientId is required: set it to the client id of the application registered at the authorization server.");
        }

        var isSecret = options.AuthenticationMethod is ClientAuthenticationMethod.ClientSecretBasic or ClientAuthenticationMethod.ClientSecretPost;
        if (!Enum.IsDefined(options.AuthenticationMethod))
        {
            errors.Add($"AuthenticationMethod '{options.AuthenticationMethod}' is unknown: use ClientSecretBasic, ClientSecretPost or PrivateKeyJwt.");
        }
        else if (isSecret)
        {
            if (string.IsNullOrEmpty(options.ClientSecret))
            {
                errors.Add($"ClientSecret is required with AuthenticationMethod {options.AuthenticationMethod}: set the client secret, or use PrivateKeyJwt with a key.");
            }

            if (options.PrivateKeyPem is not null || options.PrivateKeyJwk is not null || options.Certificate() is not null)
            {
                errors.Add($"A private key is set but AuthenticationMethod is {options.AuthenticationMethod}: set AuthenticationMethod to PrivateKeyJwt to sign with the key, or remove the key.");
            }
        }
        else if (options.ClientSecret is not null)
        {
            errors.Add("ClientSecret is set but AuthenticationMethod is PrivateKeyJwt, which does not use it: remove the secret (or choose a client-secret method).");
        }

        var signing = options.AuthenticationMethod == ClientAuthenticationMethod.PrivateKeyJwt
            ? SigningKeyLoader.Load(options.PrivateKeyPem, options.PrivateKeyJwk, options.Certificate(), options.PrivateKeyId, options.SigningAlgorithm, errors)
            : null;

        if (options.AssertionLifetime < TimeSpan.FromSeconds(10) || options.AssertionLifetime > TimeSpan.FromHours(1))
        {
            errors.Add($"AssertionLifetime {options.AssertionLifetime} is out of range: use between 10 seconds and 1 hour (the default 5 minutes suits most servers).");
        }

        foreach (var scope in options.Scopes)
        {
            if (string.IsNullOrWhiteSpace(scope) || scope.Any(char.IsWhiteSpace))
            {
                errors.Add($"Scopes holds '{scope}': each entry must be one scope without spaces (add several entries for several scopes).");
            }
        }

        foreach (var name in options.AdditionalParameters.Keys)
        {
            if (ReservedParameters.Contains(name))
            {
                errors.Add($"AdditionalParameters cannot set '{name}': the grant sets it itself (use Scopes, Audience, Resources or the client authentication options).");
            }
        }

        return signing;
    }

    internal static void CheckUrl(string name, Uri? url, List<string> errors)
    {
        if (url is null)
        {
            return;
        }

        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{name} '{url}' must be an absolute https URL.");
        }
        else if (url.Scheme == Uri.UriSchemeHttp && !IsLoopback(url))
        {
            errors.Add($"{name} '{url}' uses plain http: the client secret or assertion would travel unencrypted; use https (http is accepted only on loopback, for tests).");
        }
    }

    internal static bool IsLoopback(Uri url)
        => url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    internal static JwtSsoException Fail(string sourceName, string what, List<string> errors)
        => new(JwtSsoErrorKind.Configuration, sourceName, $"{sourceName}: {what} options are invalid:{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", errors)}");
}
