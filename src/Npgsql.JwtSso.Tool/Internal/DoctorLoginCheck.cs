namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>Doctor check: log in with the token and explain the server's answer with the core's hint helper.</summary>
internal static class DoctorLoginCheck
{
    public static async Task<DoctorFinding> RunAsync(NpgsqlConnectionStringBuilder builder, JwtToken token, string? claim, CancellationToken cancellationToken)
    {
        var login = new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            Password = token.Value,
            Pooling = false,
            IncludeErrorDetail = true,
            GssEncryptionMode = GssEncryptionMode.Disable,
        };
        if (login.Timeout == new NpgsqlConnectionStringBuilder().Timeout)
        {
            login.Timeout = 30;
        }

        try
        {
            await using var connection = new NpgsqlConnection(login.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT current_user", connection);
            var user = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return DoctorFinding.Ok("login", $"Logged in to {builder.Host}:{builder.Port} as '{user}'.");
        }
        catch (PostgresException e)
        {
            var answer = $"The cluster refused the login: {e.MessageText} (SQLSTATE {e.SqlState})" + (string.IsNullOrEmpty(e.Detail) ? "." : $"; DETAIL: {e.Detail}.");
            var hint = CockroachServerErrors.GetHint(e.SqlState, e.MessageText, e.Detail, token, claim, builder.Username)
                ?? "Not a known JWT login error: see the cluster's logs (client_authentication_failed events).";
            return DoctorFinding.Problem("login", answer, hint);
        }
        catch (NpgsqlException e)
        {
            return DoctorFinding.Problem("login", $"Could not reach {builder.Host}:{builder.Port}: {e.Message}", "Check the host, port, network path and TLS settings (sslmode, sslrootcert) of --connection.");
        }
    }
}
