namespace Npgsql.JwtSso.Gcp.Internal;

/// <summary>
/// What the process environment says about Google Cloud: the variables application default credentials read, and
/// whether this is GCE, GKE, Cloud Run or Cloud Functions without asking the network. Injectable for tests.
/// </summary>
internal sealed class GcpEnvironment(Func<string, string?> variables, string dmiProductNamePath, string defaultMetadataHost = GcpEnvironment.DefaultMetadataHost)
{
    internal const string MetadataHostVariable = "GCE_METADATA_HOST";
    internal const string DefaultMetadataHost = "169.254.169.254";
    private const string LinuxDmiProductName = "/sys/class/dmi/id/product_name";

    internal static GcpEnvironment Process { get; } = new(Environment.GetEnvironmentVariable, LinuxDmiProductName);

    /// <summary>Gets the metadata server's host (and port): <c>GCE_METADATA_HOST</c>, else the link-local address.</summary>
    internal string MetadataHost => Variable(MetadataHostVariable) ?? defaultMetadataHost;

    internal string? Variable(string name) => variables(name) is { Length: > 0 } value ? value.Trim() : null;

    /// <summary>
    /// Names what says that a metadata server belongs here, or returns <see langword="null"/> when nothing does (then
    /// only a probe can tell).
    /// </summary>
    internal string? GoogleCloudHint()
    {
        if (Variable(MetadataHostVariable) is not null)
        {
            return MetadataHostVariable;
        }

        if (Variable("K_SERVICE") is not null)
        {
            return "K_SERVICE (Cloud Run)";
        }

        if (Variable("FUNCTION_TARGET") is not null)
        {
            return "FUNCTION_TARGET (Cloud Functions)";
        }

        if (DmiProductName() is { } product && product.Contains("Google", StringComparison.Ordinal))
        {
            // GKE nodes are GCE machines, and pods see the node's DMI data.
            return Variable("KUBERNETES_SERVICE_HOST") is not null
                ? $"KUBERNETES_SERVICE_HOST on a '{product}' node (GKE)"
                : $"DMI product name '{product}' (GCE)";
        }

        return null;
    }

    /// <summary>The gcloud application-default file, where gcloud writes it (<c>CLOUDSDK_CONFIG</c>, <c>APPDATA</c>, <c>HOME</c>).</summary>
    internal string? GcloudApplicationDefaultFile()
    {
        const string FileName = "application_default_credentials.json";
        if (Variable("CLOUDSDK_CONFIG") is { } config)
        {
            return Path.Combine(config, FileName);
        }

        if (Variable("APPDATA") is { } appData)
        {
            return Path.Combine(appData, "gcloud", FileName);
        }

        return Variable("HOME") is { } home ? Path.Combine(home, ".config", "gcloud", FileName) : null;
    }

    private string? DmiProductName()
    {
        try
        {
            return File.Exists(dmiProductNamePath) ? File.ReadAllText(dmiProductNamePath).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
