namespace Npgsql.JwtSso.Azure.Internal;

/// <summary>What error messages and logs say about a source: never secrets, only what helps find the setting at fault.</summary>
internal sealed class AzureSourceDescription
{
    internal AzureSourceDescription(AzureTokenSourceOptions options, string scope, string resource, string credentialName)
    {
        Scope = scope;
        Resource = resource;
        CredentialName = credentialName;
        Kind = options.Credential is null ? options.CredentialKind : null;
        TenantId = string.IsNullOrWhiteSpace(options.TenantId) ? null : options.TenantId;
        var parts = new List<string>();
        if (TenantId is not null)
        {
            parts.Add($"tenant '{TenantId}'");
        }

        if (options.Credential is null && !string.IsNullOrWhiteSpace(options.ClientId))
        {
            parts.Add($"client id '{options.ClientId}'");
        }

        Identity = parts.Count == 0 ? string.Empty : $" ({string.Join(", ", parts)})";
        Secrets = [.. new[] { options.ClientSecret, options.ClientCertificatePassword }.Where(s => !string.IsNullOrEmpty(s) && s.Length >= 4).Select(s => s!)];
    }

    internal string Scope { get; }

    internal string Resource { get; }

    internal string CredentialName { get; }

    internal AzureCredentialKind? Kind { get; }

    internal string? TenantId { get; }

    internal string Identity { get; }

    internal IReadOnlyList<string> Secrets { get; }
}
