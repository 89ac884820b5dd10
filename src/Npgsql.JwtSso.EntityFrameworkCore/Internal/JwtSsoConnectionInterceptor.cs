using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Npgsql.JwtSso.EntityFrameworkCore.Internal;

/// <summary>
/// Opens EF Core's connections itself, through <see cref="JwtSsoDataSource"/>'s one retrying open: when the cluster
/// rejects a login, the rule of <see cref="CockroachServerErrors.ClassifyRejection(PostgresException)"/> applies exactly
/// as for the data source's own opens (a cached token that expired or was signed with a rotated key is replaced once, a
/// not-yet-valid token is re-sent once its time has come, configuration rejections fail at once), before EF Core has
/// sent any command on the connection. Login errors become a <see cref="JwtSsoException"/> with a hint.
/// </summary>
/// <remarks>
/// EF Core offers no hook between Npgsql's authentication failure and its own open, but a connection interceptor may
/// open the connection in EF Core's place (<see cref="InterceptionResult.Suppress"/>). Doing the retry there, rather
/// than in an execution strategy, keeps it independent of the strategy and of user transactions.
/// </remarks>
internal sealed class JwtSsoConnectionInterceptor(JwtSsoDataSource dataSource) : DbConnectionInterceptor
{
    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        if (result.IsSuppressed || connection is not NpgsqlConnection npgsql)
        {
            return result;
        }

        dataSource.Open(npgsql);
        return InterceptionResult.Suppress();
    }

    public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(
        DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (result.IsSuppressed || connection is not NpgsqlConnection npgsql)
        {
            return result;
        }

        await dataSource.OpenAsync(npgsql, cancellationToken).ConfigureAwait(false);
        return InterceptionResult.Suppress();
    }
}
