namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>The SQL users of the emulated cluster: the roles of the PostgreSQL server behind it (names map 1:1).</summary>
internal sealed class PostgresUsers(NpgsqlDataSource admin)
{
    /// <summary>Returns null when the role does not exist, else whether it has LOGIN.</summary>
    internal async Task<bool?> CanLoginAsync(string user, CancellationToken cancellationToken)
    {
        var command = admin.CreateCommand("SELECT rolcanlogin FROM pg_roles WHERE rolname = $1");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new() { Value = user });
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is bool canLogin ? canLogin : null;
        }
    }

    /// <summary>The era-B/C user-record checks: missing user (28P01) and NOLOGIN (28000).</summary>
    internal async Task<LoginFailure?> CheckAsync(string user, CancellationToken cancellationToken)
        => await CanLoginAsync(user, cancellationToken).ConfigureAwait(false) switch
        {
            null => LoginFailure.PasswordFailed(user),
            false => LoginFailure.NoLoginPrivilege(user),
            true => null,
        };
}
