using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Npgsql.JwtSso.Testing.Internal.Vendors;

/// <content>
/// GitHub Actions OIDC: <c>GET $ACTIONS_ID_TOKEN_REQUEST_URL&amp;audience=…</c> with
/// <c>Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN</c> answers <c>{"count": n, "value": "&lt;jwt&gt;"}</c>.
/// </content>
internal static partial class VendorEndpoints
{
    static partial void MapGitHub(IEndpointRouteBuilder app, LocalJwtIssuer issuer)
    {
        app.MapIssuerEndpoint(issuer, "GET", LocalJwtIssuer.GitHubActionsPath, IssuerEndpointNames.GitHubActions, async context =>
        {
            var options = issuer.Options;
            if (!HasRequestToken(context.Request, options.GitHubActionsRequestToken))
            {
                await IssuerHttp.WriteJsonAsync(context, 401, new Dictionary<string, object?>
                {
                    ["message"] = "Bad credentials: send 'Authorization: bearer' with the job's ACTIONS_ID_TOKEN_REQUEST_TOKEN.",
                }).ConfigureAwait(false);
                return;
            }

            var repository = options.GitHubActionsRepository;
            var owner = repository.Split('/')[0];
            var gitRef = options.GitHubActionsRef;
            var audience = context.Request.Query["audience"].ToString();
            var mint = new JwtMintOptions
            {
                Issuer = options.GitHubActionsIssuer,
                Subject = $"repo:{repository}:ref:{gitRef}",

                // Without an audience GitHub uses the URL of the repository owner.
                Audience = string.IsNullOrEmpty(audience) ? $"https://github.com/{owner}" : audience,
                Claims =
                {
                    ["repository"] = repository,
                    ["repository_owner"] = owner,
                    ["ref"] = gitRef,
                    ["ref_type"] = gitRef.StartsWith("refs/tags/", StringComparison.Ordinal) ? "tag" : "branch",
                    ["actor"] = "octocat",
                    ["event_name"] = "push",
                    ["workflow"] = "ci",
                    ["job_workflow_ref"] = $"{repository}/.github/workflows/ci.yml@{gitRef}",
                    ["runner_environment"] = "github-hosted",
                },
            };
            var token = issuer.IssueToken(context, mint);
            await IssuerHttp.WriteJsonAsync(context, 200, new Dictionary<string, object?>
            {
                ["count"] = token.Value.Length,
                ["value"] = token.Value,
            }).ConfigureAwait(false);
        });
    }

    private static bool HasRequestToken(HttpRequest request, string expected)
        => AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            && string.Equals(header.Scheme, "bearer", StringComparison.OrdinalIgnoreCase)
            && string.Equals(header.Parameter, expected, StringComparison.Ordinal);
}
