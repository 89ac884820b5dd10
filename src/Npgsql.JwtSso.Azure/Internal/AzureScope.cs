namespace Npgsql.JwtSso.Azure.Internal;

/// <summary>Checks the one <c>&lt;resource&gt;/.default</c> scope an Entra app-only token is requested with.</summary>
internal static class AzureScope
{
    internal const string DefaultSuffix = "/.default";

    /// <summary>Returns the resource part of a valid scope, or an error naming the fix.</summary>
    internal static bool TryGetResource(string? scope, out string resource, out string error)
    {
        resource = string.Empty;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(scope))
        {
            error = "Scope is required: set it to the Application ID URI of the app registration that stands for the cluster followed by /.default, for example 'api://<cluster-app-client-id>/.default'.";
            return false;
        }

        if (scope.Trim().Any(c => char.IsWhiteSpace(c) || c == ','))
        {
            error = $"Scope '{scope}' names more than one scope; an Entra token has one audience, so request exactly one '<resource>/.default' scope for the cluster's app registration.";
            return false;
        }

        scope = scope.Trim();
        if (!scope.EndsWith(DefaultSuffix, StringComparison.Ordinal))
        {
            var hint = scope.LastIndexOf('/') is var slash and > 0 && scope.Contains("://", StringComparison.Ordinal)
                ? $" (for example '{scope[..slash]}{DefaultSuffix}')"
                : $" (for example '{scope.TrimEnd('/')}{DefaultSuffix}')";
            error = $"Scope '{scope}' does not end with '/.default'. Managed identities, workload identities and app registrations get app-only tokens, which Entra issues only for '<resource>/.default'{hint}.";
            return false;
        }

        resource = scope[..^DefaultSuffix.Length];
        if (resource.Length == 0 || resource.EndsWith(DefaultSuffix, StringComparison.Ordinal) || resource.EndsWith('/'))
        {
            error = $"Scope '{scope}' has no resource before '/.default'; use the Application ID URI or client id of the cluster's app registration, for example 'api://<cluster-app-client-id>/.default'.";
            resource = string.Empty;
            return false;
        }

        return true;
    }
}
