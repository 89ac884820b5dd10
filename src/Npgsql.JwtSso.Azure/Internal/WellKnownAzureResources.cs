namespace Npgsql.JwtSso.Azure.Internal;

/// <summary>
/// Azure's own resources, whose tokens are often requested by mistake (copied from Azure Database for PostgreSQL or
/// Azure SDK samples): a CockroachDB cluster needs a token for its own app registration instead.
/// </summary>
internal static class WellKnownAzureResources
{
    private static readonly (string Resource, string Description)[] Known =
    [
        ("https://ossrdbms-aad.database.windows.net", "Azure Database for PostgreSQL/MySQL"),
        ("https://management.azure.com", "Azure Resource Manager"),
        ("https://management.core.windows.net", "Azure Service Management"),
        ("https://database.windows.net", "Azure SQL Database"),
        ("https://graph.microsoft.com", "Microsoft Graph"),
        ("00000003-0000-0000-c000-000000000000", "Microsoft Graph"),
        ("https://vault.azure.net", "Azure Key Vault"),
        ("https://storage.azure.com", "Azure Storage"),
        ("https://cosmos.azure.com", "Azure Cosmos DB"),
        ("https://servicebus.azure.net", "Azure Service Bus"),
        ("https://eventhubs.azure.net", "Azure Event Hubs"),
    ];

    /// <summary>Returns the Azure service a resource or audience belongs to, when it is one of Azure's own.</summary>
    internal static bool TryDescribe(string resourceOrAudience, out string description)
    {
        var candidate = resourceOrAudience.TrimEnd('/');
        foreach (var (resource, text) in Known)
        {
            if (string.Equals(candidate, resource, StringComparison.OrdinalIgnoreCase))
            {
                description = text;
                return true;
            }
        }

        description = string.Empty;
        return false;
    }
}
