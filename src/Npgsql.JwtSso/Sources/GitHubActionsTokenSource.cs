using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// A source for GitHub Actions jobs: requests an OIDC ID token for the given audience from the job's token service
/// (<c>ACTIONS_ID_TOKEN_REQUEST_URL</c>, authorized with <c>ACTIONS_ID_TOKEN_REQUEST_TOKEN</c>). The tokens have
/// issuer <c>https://token.actions.githubusercontent.com</c> and a subject such as
/// <c>repo:my-org/my-repo:ref:refs/heads/main</c>.
/// </summary>
/// <remarks>GitHub provides the two variables only to jobs whose workflow grants <c>permissions: id-token: write</c>.</remarks>
public sealed class GitHubActionsTokenSource : JwtTokenSource
{
    internal const string RequestUrlVariable = "ACTIONS_ID_TOKEN_REQUEST_URL";
    internal const string RequestTokenVariable = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
    private const string SourceName = "github-actions";
    private const int MaxBodyLength = 300;
    private static readonly HttpClient SharedClient = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private readonly HttpClient _httpClient;
    private readonly Func<string, string?> _getEnvironmentVariable;

    /// <summary>Initializes a new instance of the <see cref="GitHubActionsTokenSource"/> class.</summary>
    /// <param name="audience">The <c>aud</c> the token must carry: the cluster's <c>server.jwt_authentication.audience</c>.</param>
    /// <param name="httpClient">The client to send the request with; <see langword="null"/> for a shared one with a 30-second timeout.</param>
    /// <exception cref="ArgumentNullException"><paramref name="audience"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="audience"/> is empty or white space.</exception>
    public GitHubActionsTokenSource(string audience, HttpClient? httpClient = null)
        : this(audience, httpClient, Environment.GetEnvironmentVariable)
    {
    }

    internal GitHubActionsTokenSource(string audience, HttpClient? httpClient, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        Audience = audience;
        _httpClient = httpClient ?? SharedClient;
        _getEnvironmentVariable = getEnvironmentVariable;
    }

    /// <summary>Gets the audience requested for the token.</summary>
    public string Audience { get; }

    /// <inheritdoc />
    /// <value><c>github-actions</c>.</value>
    public override string Name => SourceName;

    /// <inheritdoc />
    /// <exception cref="JwtSsoException">
    /// Not running in a job allowed to request tokens (<see cref="JwtSsoErrorKind.Configuration"/>), the token service failed
    /// (<see cref="JwtSsoErrorKind.SourceFailed"/>), timed out (<see cref="JwtSsoErrorKind.Timeout"/>) or returned no JWT
    /// (<see cref="JwtSsoErrorKind.InvalidToken"/>).
    /// </exception>
    public override async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var baseUrl = RequireVariable(RequestUrlVariable);
        var requestToken = RequireVariable(RequestTokenVariable);
        var separator = baseUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        if (!Uri.TryCreate($"{baseUrl}{separator}audience={Uri.EscapeDataString(Audience)}", UriKind.Absolute, out var url))
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                SourceName,
                $"{SourceName}: {RequestUrlVariable} is not an absolute URL. It is set by the GitHub Actions runner; do not override it.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", requestToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        string body;
        HttpResponseMessage response;
        try
        {
            response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.Timeout,
                SourceName,
                $"{SourceName}: the OIDC token request to {url.Host} timed out (HttpClient.Timeout). The token service may be slow; it is retried.",
                ex)
            { IsTransient = true };
        }
        catch (HttpRequestException ex)
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.SourceFailed,
                SourceName,
                $"{SourceName}: the OIDC token request to {url.Host} failed: {SecretScrubber.Scrub(ex.Message, MaxBodyLength, requestToken)}. Check the runner's network access to the Actions token service.",
                ex)
            { IsTransient = true };
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw HttpFailure(response, body, requestToken);
            }

            return ParseBody(body);
        }
    }

    private static JwtSsoException HttpFailure(HttpResponseMessage response, string body, string requestToken)
    {
        var status = (int)response.StatusCode;
        var detail = SecretScrubber.Scrub(body, MaxBodyLength, requestToken);
        var hint = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                "The job's request token was refused: check that the workflow grants `permissions: id-token: write` and that the job has not ended.",
            HttpStatusCode.TooManyRequests => "The token service is throttling requests; it is retried later.",
            _ when status >= 500 => "The token service failed; it is retried.",
            _ => "Check the audience and that the runner's Actions token service is reachable.",
        };
        return new JwtSsoException(
            JwtSsoErrorKind.SourceFailed,
            SourceName,
            $"{SourceName}: the OIDC token request failed with HTTP {status.ToString(CultureInfo.InvariantCulture)} {response.ReasonPhrase}{(detail.Length > 0 ? $" ({detail})" : string.Empty)}. {hint}")
        {
            IsTransient = status >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout,
            RetryAfter = JwtSsoRetryAfter.TryParse(response.Headers, null, out var retryAfter) ? retryAfter : null,
        };
    }

    private static JwtToken ParseBody(string body)
    {
        string? value = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("value", out var element)
                && element.ValueKind == JsonValueKind.String)
            {
                value = element.GetString();
            }
        }
        catch (JsonException)
        {
            // Reported below without the body, which may hold a token.
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.SourceFailed,
                SourceName,
                $"{SourceName}: the OIDC token response is not JSON with a string \"value\" (the token). Check that {RequestUrlVariable} points at the Actions token service.");
        }

        return SourceTokens.Parse(SourceName, value, $"Check that {RequestUrlVariable} points at the Actions token service.");
    }

    private string RequireVariable(string variable)
    {
        var value = _getEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value)
            ? throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                SourceName,
                $"{SourceName}: the environment variable {variable} is not set. GitHub sets {RequestUrlVariable} and {RequestTokenVariable} only in GitHub Actions jobs whose workflow or job grants `permissions: id-token: write`; add that permission, or use another token source outside GitHub Actions.")
            : value;
    }
}
