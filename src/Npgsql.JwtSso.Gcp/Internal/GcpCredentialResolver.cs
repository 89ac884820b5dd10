using Google.Apis.Auth.OAuth2;
using Google.Apis.Http;
using Google.Apis.Json;
using Google.Apis.Util;

namespace Npgsql.JwtSso.Gcp.Internal;

/// <summary>Turns <see cref="GcpTokenSourceOptions"/> into an ID-token-capable Google credential.</summary>
/// <remarks>
/// Credentials this class builds itself (service-account keys, the metadata server, impersonation) get our clock,
/// our HTTP factory and no Google-side retry policy: the refresh engine owns retries and backoff, and Google's token
/// windows must read the same clock as the engine.
/// </remarks>
internal sealed class GcpCredentialResolver(GcpTokenSourceOptions options, TimeProvider time, GcpHttpClientFactory http, GcpEnvironment environment)
{
    internal const string EnvironmentVariable = "GOOGLE_APPLICATION_CREDENTIALS";
    private const string DefaultTokenUri = "https://oauth2.googleapis.com/token";
    private const string MetadataServiceAccountPath = "/computeMetadata/v1/instance/service-accounts/default/";
    private readonly IClock clock = new GcpClock(time);

    internal async Task<GcpCredential> ResolveAsync(CancellationToken cancellationToken)
    {
        var (credential, origin, impliedTarget) = await LoadAsync(cancellationToken).ConfigureAwait(false);
        if ((options.ImpersonateServiceAccount ?? impliedTarget) is { } target)
        {
            return Impersonate(credential, origin, target);
        }

        switch (credential.UnderlyingCredential)
        {
            case ComputeCredential:
                return new(Provider(credential), GcpCredentialKind.MetadataServer, origin);
            case ServiceAccountCredential:
                return new(Provider(credential), GcpCredentialKind.ServiceAccountKey, origin);
            case ImpersonatedCredential impersonated:
                return new(Provider(credential), GcpCredentialKind.Impersonation, $"impersonation of {impersonated.TargetPrincipal} ({origin})");
            case IOidcTokenProvider:
                return new(Provider(credential), GcpCredentialKind.Other, origin);
            default:
                throw GcpErrors.Configuration(
                    $"{origin} is a {Describe(credential.UnderlyingCredential)}, which cannot mint Google ID tokens. Set ImpersonateServiceAccount to a service account this identity may impersonate (it needs roles/iam.serviceAccountOpenIdTokenCreator on it), or use a service-account key or the metadata server.");
        }
    }

    internal static string? ImpersonationTarget(string? impersonationUrl)
    {
        // https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/NAME@PROJECT.iam.gserviceaccount.com:generateAccessToken
        const string Marker = "/serviceAccounts/";
        if (string.IsNullOrEmpty(impersonationUrl))
        {
            return null;
        }

        var start = impersonationUrl.LastIndexOf(Marker, StringComparison.Ordinal);
        var end = impersonationUrl.LastIndexOf(':');
        return start >= 0 && end > start + Marker.Length ? impersonationUrl[(start + Marker.Length)..end] : null;
    }

    // generateIdToken wants delegates as resource names; users know them by email.
    private static string DelegateResourceName(string delegateAccount)
        => delegateAccount.StartsWith("projects/", StringComparison.Ordinal) ? delegateAccount : "projects/-/serviceAccounts/" + delegateAccount;

    private static IOidcTokenProvider Provider(GoogleCredential credential) => (IOidcTokenProvider)credential.UnderlyingCredential;

    private static string Describe(ICredential credential) => credential switch
    {
        UserCredential => "user credential (gcloud auth application-default login)",
        ExternalAccountCredential => "workload identity federation credential (external_account)",
        _ => credential.GetType().Name,
    };

    private GcpCredential Impersonate(GoogleCredential source, string origin, string target)
    {
        var initializer = new ImpersonatedCredential.Initializer(target)
        {
            DelegateAccounts = [.. options.Delegates.Select(DelegateResourceName)],
            Clock = clock,
            HttpClientFactory = http,
            DefaultExponentialBackOffPolicy = ExponentialBackOffPolicy.None,
        };

        GoogleCredential impersonated;
        try
        {
            impersonated = source.Impersonate(initializer);
        }
        catch (InvalidOperationException e)
        {
            throw GcpErrors.Configuration($"{origin} cannot impersonate service account '{target}': {e.Message}", e);
        }

        return new(Provider(impersonated), GcpCredentialKind.Impersonation, $"impersonation of {target} via {origin}");
    }

    private async Task<(GoogleCredential Credential, string Origin, string? ImpliedTarget)> LoadAsync(CancellationToken cancellationToken)
    {
        if (options.Credential is { } explicitCredential)
        {
            return (explicitCredential, "the configured Credential", null);
        }

        if (!string.IsNullOrWhiteSpace(options.CredentialJson))
        {
            return FromJson(options.CredentialJson, "CredentialJson");
        }

        if (!string.IsNullOrWhiteSpace(options.CredentialFile))
        {
            var origin = $"CredentialFile '{options.CredentialFile}'";
            return FromJson(await ReadFileAsync(options.CredentialFile, origin, cancellationToken).ConfigureAwait(false), origin);
        }

        if (options.UseMetadataServer)
        {
            return (MetadataServer(), "the metadata server (UseMetadataServer)", null);
        }

        if (environment.Variable(EnvironmentVariable) is { } path)
        {
            var origin = $"{EnvironmentVariable} '{path}'";
            return FromJson(await ReadFileAsync(path, origin, cancellationToken).ConfigureAwait(false), origin);
        }

        if (environment.GcloudApplicationDefaultFile() is { } gcloudFile && File.Exists(gcloudFile))
        {
            var origin = $"the gcloud application-default file '{gcloudFile}'";
            return FromJson(await ReadFileAsync(gcloudFile, origin, cancellationToken).ConfigureAwait(false), origin);
        }

        // Google's GetApplicationDefaultAsync is not used: it caches its answer (and a failed probe) in statics for
        // the life of the process. Where the environment says Google Cloud, the metadata server is used without a probe.
        if (environment.GoogleCloudHint() is { } hint)
        {
            return (MetadataServer(), $"the metadata server (application default credentials, {hint})", null);
        }

        await ProbeMetadataServerAsync(cancellationToken).ConfigureAwait(false);
        return (MetadataServer(), "the metadata server (application default credentials)", null);
    }

    /// <summary>Asks the metadata server once; no answer is transient (the next attempt asks again), a foreign answer is configuration.</summary>
    private async Task ProbeMetadataServerAsync(CancellationToken cancellationToken)
    {
        var host = environment.MetadataHost;
        var none = $"No Google credential was found: {EnvironmentVariable} is not set, there is no gcloud application-default file, "
            + $"nothing in the environment says GCE/GKE/Cloud Run/Cloud Functions ({GcpEnvironment.MetadataHostVariable}, K_SERVICE, FUNCTION_TARGET, DMI product name)";
        GcpMetadataProbe.Answer answer;
        try
        {
            answer = await GcpMetadataProbe.ProbeAsync(host, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            throw GcpErrors.Transient(
                $"{none}, and no metadata server answered at http://{host}/ ({e.Message}); it is asked again on the next attempt. "
                + "Off Google Cloud set CredentialFile, CredentialJson, Credential or GOOGLE_APPLICATION_CREDENTIALS; on Google Cloud set UseMetadataServer = true to skip this probe.",
                e);
        }

        if (answer == GcpMetadataProbe.Answer.NotGoogle)
        {
            throw GcpErrors.Configuration(
                $"{none}, and the server that answered at http://{host}/ is not a Google metadata server (no 'Metadata-Flavor: Google' header). "
                + "Set CredentialFile, CredentialJson, Credential or GOOGLE_APPLICATION_CREDENTIALS.");
        }
    }

    /// <summary>Google's ComputeCredential on our clock and HTTP handler, without Google's retries: the engine owns them.</summary>
    private GoogleCredential MetadataServer()
    {
        var baseUrl = $"http://{environment.MetadataHost}{MetadataServiceAccountPath}";
        var compute = new ComputeCredential(new ComputeCredential.Initializer(baseUrl + "token", baseUrl + "identity")
        {
            Clock = clock,
            HttpClientFactory = http,
            DefaultExponentialBackOffPolicy = ExponentialBackOffPolicy.None,
        });
        return GoogleCredential.FromComputeCredential(compute);
    }

    private static async Task<string> ReadFileAsync(string path, string origin, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw GcpErrors.Configuration($"{origin} could not be read ({e.GetType().Name}: {e.Message}). Check the path and the file's permissions.", e);
        }
    }

    private (GoogleCredential Credential, string Origin, string? ImpliedTarget) FromJson(string json, string origin)
    {
        JsonCredentialParameters parameters;
        try
        {
            parameters = NewtonsoftJsonSerializer.Instance.Deserialize<JsonCredentialParameters>(json);
        }
        catch (Newtonsoft.Json.JsonException e)
        {
            // The JSON may contain a private key: never echo it, only where parsing failed.
            throw GcpErrors.Configuration($"{origin} is not valid JSON ({e.GetType().Name}); expected a credential file downloaded from Google Cloud or written by gcloud.", null);
        }

        if (parameters is null || string.IsNullOrEmpty(parameters.Type))
        {
            throw GcpErrors.Configuration($"{origin} has no \"type\" field; expected a Google credential file (service_account, authorized_user, external_account or impersonated_service_account).");
        }

        if (parameters.Type == JsonCredentialParameters.ServiceAccountCredentialType)
        {
            return (ServiceAccount(parameters, origin), origin, null);
        }

        // Workload identity federation with built-in impersonation: Google's library implements it with a custom
        // token URL and then cannot mint ID tokens, so drop it and impersonate through generateIdToken ourselves.
        string? implied = null;
        if (parameters.Type == JsonCredentialParameters.ExternalAccountCredentialType
            && ImpersonationTarget(parameters.ServiceAccountImpersonationUrl) is { } target)
        {
            implied = target;
            parameters.ServiceAccountImpersonationUrl = null;
        }

        return (Other(parameters, origin), origin, implied);
    }

    private GoogleCredential ServiceAccount(JsonCredentialParameters p, string origin)
    {
        var missing = new List<string>();
        if (string.IsNullOrEmpty(p.ClientEmail))
        {
            missing.Add("client_email");
        }

        if (string.IsNullOrEmpty(p.PrivateKey))
        {
            missing.Add("private_key");
        }

        if (missing.Count > 0)
        {
            throw GcpErrors.Configuration($"{origin} is a service-account key without {string.Join(" and ", missing)}; download a new JSON key for the service account.");
        }

        var initializer = new ServiceAccountCredential.Initializer(p.ClientEmail, string.IsNullOrEmpty(p.TokenUri) ? DefaultTokenUri : p.TokenUri)
        {
            ProjectId = p.ProjectId,
            KeyId = p.PrivateKeyId,
            Clock = clock,
            HttpClientFactory = http,
            DefaultExponentialBackOffPolicy = ExponentialBackOffPolicy.None,
        };
        if (!string.IsNullOrEmpty(p.UniverseDomain))
        {
            initializer.UniverseDomain = p.UniverseDomain;
        }

        try
        {
            return new ServiceAccountCredential(initializer.FromPrivateKey(p.PrivateKey)).ToGoogleCredential();
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            throw GcpErrors.Configuration($"{origin}: the private_key of service account '{p.ClientEmail}' is not a PEM-encoded RSA private key ({e.GetType().Name}); download a new JSON key.", null);
        }
    }

    private static GoogleCredential Other(JsonCredentialParameters p, string origin)
    {
        try
        {
#pragma warning disable CS0618 // "potential security risk" is about configuration from untrusted parties; this is the app's own.
            return GoogleCredential.FromJsonParameters(p);
#pragma warning restore CS0618
        }
        catch (InvalidOperationException e)
        {
            throw GcpErrors.Configuration($"{origin} is not a usable Google credential of type '{p.Type}': {e.Message}", e);
        }
    }
}
