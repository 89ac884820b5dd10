namespace Npgsql.JwtSso.Testing;

/// <content>Addresses of the GitHub Actions endpoint.</content>
public sealed partial class LocalJwtIssuer
{
    /// <summary>Gets the path of the GitHub Actions OIDC token endpoint.</summary>
    internal const string GitHubActionsPath = "/github-actions/idtoken";

    /// <summary>
    /// Gets the URL to put in <c>ACTIONS_ID_TOKEN_REQUEST_URL</c> (with <c>api-version=2.0</c>, as GitHub's runner sets it;
    /// the client appends <c>&amp;audience=…</c>).
    /// </summary>
    public Uri GitHubActionsRequestUrl => new(HttpUri, GitHubActionsPath.TrimStart('/') + "?api-version=2.0");

    /// <summary>
    /// Gets the environment a GitHub Actions job with <c>permissions: id-token: write</c> would have:
    /// <c>ACTIONS_ID_TOKEN_REQUEST_URL</c> and <c>ACTIONS_ID_TOKEN_REQUEST_TOKEN</c>, pointing at this issuer.
    /// </summary>
    public IReadOnlyDictionary<string, string> GitHubActionsEnvironment => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ACTIONS_ID_TOKEN_REQUEST_URL"] = GitHubActionsRequestUrl.ToString(),
        ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = _options.GitHubActionsRequestToken,
    };
}
