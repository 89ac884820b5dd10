namespace Npgsql.JwtSso.Testing;

/// <content>The GitHub Actions endpoint name.</content>
public static partial class IssuerEndpointNames
{
    /// <summary>
    /// <c>GET /github-actions/idtoken?api-version=2.0&amp;audience=…</c>: the GitHub Actions OIDC token request
    /// (<see cref="LocalJwtIssuer.GitHubActionsRequestUrl"/>), answering <c>{"count": …, "value": "&lt;jwt&gt;"}</c>.
    /// </summary>
    public const string GitHubActions = "github-actions";
}
