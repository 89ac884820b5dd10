namespace Npgsql.JwtSso.Gcp.Internal;

/// <summary>Checks <see cref="GcpTokenSourceOptions"/> and lists every problem at once.</summary>
internal static class GcpOptionsValidator
{
    // The metadata server receives the audience unencoded in the query string ("?audience=" + value), so these
    // characters would be cut off or decoded and the token's aud would not be what the cluster expects.
    private static readonly char[] UnsafeAudienceChars = ['&', '#', '%', '+'];

    internal static List<string> Validate(GcpTokenSourceOptions options)
    {
        var errors = new List<string>();
        ValidateAudience(options.Audience, errors);

        var explicitCount = (options.Credential is null ? 0 : 1)
            + (string.IsNullOrWhiteSpace(options.CredentialJson) ? 0 : 1)
            + (string.IsNullOrWhiteSpace(options.CredentialFile) ? 0 : 1);
        if (explicitCount > 1)
        {
            errors.Add("Credential, CredentialJson and CredentialFile are alternatives: set at most one of them (or none for application default credentials).");
        }

        if (options.UseMetadataServer && explicitCount > 0)
        {
            errors.Add("UseMetadataServer cannot be combined with Credential, CredentialJson or CredentialFile: choose the metadata server or one explicit credential.");
        }

        if (options.CredentialJson is { } json && json.Length > 0 && string.IsNullOrWhiteSpace(json))
        {
            errors.Add("CredentialJson is blank: set it to the content of a credential JSON file, or leave it null.");
        }

        if (options.ImpersonateServiceAccount is { } target && !IsServiceAccountEmail(target))
        {
            errors.Add($"ImpersonateServiceAccount '{target}' is not a service-account email (expected name@project.iam.gserviceaccount.com or a numeric unique id).");
        }

        if (options.Delegates.Count > 0 && options.ImpersonateServiceAccount is null)
        {
            errors.Add("Delegates is only used with ImpersonateServiceAccount: set the service account to impersonate, or clear Delegates.");
        }

        foreach (var d in options.Delegates)
        {
            if (!IsServiceAccountEmail(d))
            {
                errors.Add($"Delegates entry '{d}' is not a service-account email.");
            }
        }

        if (options.MinimumTokenLifetime < TimeSpan.Zero || options.MinimumTokenLifetime > TimeSpan.FromMinutes(30))
        {
            errors.Add($"MinimumTokenLifetime {options.MinimumTokenLifetime} is outside 00:00:00..00:30:00 (Google ID tokens live 1 hour); the default is 00:05:00.");
        }

        if (options.IamCredentialsEndpoint is { } iam
            && (!iam.IsAbsoluteUri || (iam.Scheme != Uri.UriSchemeHttps && iam.Scheme != Uri.UriSchemeHttp)))
        {
            errors.Add($"IamCredentialsEndpoint '{iam}' must be an absolute http(s) URI such as https://iamcredentials.googleapis.com.");
        }

        return errors;
    }

    private static void ValidateAudience(string? audience, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(audience))
        {
            errors.Add("Audience is required: set it to a value of the cluster setting server.jwt_authentication.audience (for example the cluster's URL or name).");
            return;
        }

        if (audience.Any(char.IsWhiteSpace) || audience.Any(char.IsControl))
        {
            errors.Add($"Audience '{audience.Trim()}' contains white space or control characters; Google and CockroachDB compare audiences exactly, so use a plain string such as https://crdb.example.com.");
        }

        if (audience.IndexOfAny(UnsafeAudienceChars) >= 0)
        {
            errors.Add($"Audience '{audience}' contains one of & # % +, which the GCE metadata server would misread (the audience is sent unencoded in the URL); choose an audience without them.");
        }
    }

    private static bool IsServiceAccountEmail(string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsWhiteSpace))
        {
            return false;
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        return (at > 0 && at < value.Length - 1 && value.IndexOf('@', at + 1) < 0) || value.All(char.IsAsciiDigit);
    }
}
