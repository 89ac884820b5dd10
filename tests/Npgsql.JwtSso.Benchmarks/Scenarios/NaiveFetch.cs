using System.Net.Http.Json;
using System.Text.Json;

namespace Npgsql.JwtSso.Benchmarks.Scenarios;

/// <summary>The hand-written per-open pattern: an <see cref="HttpClient"/> POST to the token endpoint and a JSON parse, every call.</summary>
public sealed class NaiveFetch(Uri tokenEndpoint, ScenarioContext context) : IDisposable
{
    private readonly HttpClient _http = new();

    public async ValueTask<string> FetchAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(tokenEndpoint, new FormUrlEncodedContent([new("grant_type", "client_credentials")]), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = await response.Content.ReadFromJsonAsync<JsonDocument>(cancellationToken);
        var token = json!.RootElement.GetProperty("access_token").GetString()!;
        context.RememberSecret(token);
        return token;
    }

    public void Dispose() => _http.Dispose();
}
