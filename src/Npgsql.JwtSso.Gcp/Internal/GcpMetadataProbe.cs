namespace Npgsql.JwtSso.Gcp.Internal;

/// <summary>
/// Asks whether a Google metadata server answers, once per call and never cached process-wide. Google.Apis.Auth's own
/// detection (500 ms × 3) caches a negative answer in a static for the life of the process, so one slow start of the
/// metadata server (a GKE pod's first seconds, a busy machine) would make the source fail for good.
/// </summary>
internal static class GcpMetadataProbe
{
    /// <summary>How long one probe waits for the metadata server; the refresh engine retries a probe that got no answer.</summary>
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private const string MetadataFlavor = "Metadata-Flavor";

    // Like Google's probe: the default handler, no retries here (the engine owns them), the timeout below.
    private static readonly HttpClient Client = new() { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    internal enum Answer
    {
        /// <summary>A server answered with <c>Metadata-Flavor: Google</c>.</summary>
        Google,

        /// <summary>Something answered, but not a Google metadata server (a proxy, another cloud's metadata service).</summary>
        NotGoogle,
    }

    /// <summary>Probes <c>http://{host}/</c>.</summary>
    /// <exception cref="HttpRequestException">No answer: connection refused, reset, no route.</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="Timeout"/> on <paramref name="time"/>.</exception>
    internal static async Task<Answer> ProbeAsync(string host, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{host}/"));
        request.Headers.Add(MetadataFlavor, "Google");
        try
        {
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            return response.Headers.TryGetValues(MetadataFlavor, out var values) && values.Contains("Google", StringComparer.Ordinal)
                ? Answer.Google
                : Answer.NotGoogle;
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No answer within {Timeout.TotalSeconds:0} s.", e);
        }
    }
}
