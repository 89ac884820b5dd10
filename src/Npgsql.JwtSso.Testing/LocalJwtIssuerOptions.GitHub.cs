namespace Npgsql.JwtSso.Testing;

/// <content>Settings of the GitHub Actions endpoint.</content>
public sealed partial class LocalJwtIssuerOptions
{
    /// <summary>
    /// Gets or sets the request token the GitHub Actions endpoint expects as <c>Authorization: bearer …</c>
    /// (the job's <c>ACTIONS_ID_TOKEN_REQUEST_TOKEN</c>).
    /// </summary>
    /// <value>The default value is <c>local-actions-request-token</c>.</value>
    public string GitHubActionsRequestToken { get; set; } = "local-actions-request-token";

    /// <summary>Gets or sets the <c>iss</c> of GitHub Actions tokens.</summary>
    /// <value>The default value is <c>https://token.actions.githubusercontent.com</c>, GitHub's own issuer (the tokens are still signed with this issuer's keys).</value>
    public string GitHubActionsIssuer { get; set; } = "https://token.actions.githubusercontent.com";

    /// <summary>Gets or sets the repository (<c>owner/name</c>) of the simulated job; it appears in <c>sub</c>, <c>repository</c> and <c>repository_owner</c>.</summary>
    /// <value>The default value is <c>octo-org/octo-repo</c>.</value>
    public string GitHubActionsRepository { get; set; } = "octo-org/octo-repo";

    /// <summary>Gets or sets the git ref of the simulated job; it appears in <c>sub</c> and <c>ref</c>.</summary>
    /// <value>The default value is <c>refs/heads/main</c>.</value>
    public string GitHubActionsRef { get; set; } = "refs/heads/main";
}
