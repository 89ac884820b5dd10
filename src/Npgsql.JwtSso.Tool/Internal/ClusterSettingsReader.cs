namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>Reads the JWT-related cluster settings with <c>SHOW CLUSTER SETTING</c> over an admin connection.</summary>
internal static class ClusterSettingsReader
{
    public static async Task<ClusterJwtSettings> ReadAsync(string adminConnection, CancellationToken cancellationToken)
    {
        var builder = ConnectionInput.Parse(adminConnection, "--admin-connection").Builder;
        builder.Pooling = false;
        var settings = new ClusterJwtSettings();
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            foreach (var name in ClusterJwtSettings.Names)
            {
                // Setting names cannot be bound as parameters; they come from our own constant list.
#pragma warning disable CA2100
                await using var command = new NpgsqlCommand($"SHOW CLUSTER SETTING {name}", connection);
#pragma warning restore CA2100
                var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                settings.Set(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.SyntaxError)
        {
            throw new ToolException(ExitCodes.Unavailable, $"--admin-connection does not lead to a CockroachDB cluster: SHOW CLUSTER SETTING failed ({e.MessageText}). Point it at a CockroachDB node, or give the settings with --setting NAME=VALUE.", e);
        }
        catch (PostgresException e)
        {
            throw new ToolException(ExitCodes.Unavailable, $"Could not read the cluster settings over --admin-connection: {e.MessageText} (SQLSTATE {e.SqlState}). The user needs the admin role or VIEWCLUSTERSETTING; or give the settings with --setting NAME=VALUE.", e);
        }
        catch (NpgsqlException e)
        {
            throw new ToolException(ExitCodes.Unavailable, $"Could not connect with --admin-connection to {builder.Host}:{builder.Port}: {e.Message}", e);
        }

        return settings;
    }
}
