using System.Data.Common;
using System.Runtime.ExceptionServices;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso.EntityFrameworkCore.Internal;

/// <summary>
/// Opens EF Core's connections itself: when the cluster rejects the cached token of an open, the token is invalidated
/// and the same connection is opened once more with a fresh one, before EF Core has sent any command on it. Login errors
/// become a <see cref="JwtSsoException"/> with a hint, as with <see cref="JwtSsoDataSource"/>.
/// </summary>
/// <remarks>
/// EF Core offers no hook between Npgsql's authentication failure and its own open, but a connection interceptor may
/// open the connection in EF Core's place (<see cref="InterceptionResult.Suppress"/>). Doing the retry there, rather
/// than in an execution strategy, keeps it independent of the strategy and of user transactions.
/// </remarks>
internal sealed class JwtSsoConnectionInterceptor(JwtSsoDataSource dataSource, ILogger logger) : DbConnectionInterceptor
{
    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        if (result.IsSuppressed || connection is not NpgsqlConnection npgsql)
        {
            return result;
        }

        var previous = OpenAttempt.Current;
        var attempt = OpenAttempt.Current = new OpenAttempt();
        try
        {
            try
            {
                npgsql.Open();
            }
            catch (NpgsqlException e) when (ShouldRetry(e, attempt))
            {
                npgsql.Open();
            }
        }
        catch (NpgsqlException e)
        {
            throw Translate(e, attempt);
        }
        finally
        {
            OpenAttempt.Current = previous;
        }

        return InterceptionResult.Suppress();
    }

    public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(
        DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (result.IsSuppressed || connection is not NpgsqlConnection npgsql)
        {
            return result;
        }

        var attempt = OpenAttempt.Current = new OpenAttempt(); // restored when this async method returns
        try
        {
            try
            {
                await npgsql.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException e) when (ShouldRetry(e, attempt))
            {
                await npgsql.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException e)
        {
            throw Translate(e, attempt);
        }

        return InterceptionResult.Suppress();
    }

    private bool ShouldRetry(NpgsqlException e, OpenAttempt attempt)
    {
        // A token fetched for this very open was just issued: retrying it would only repeat the same rejection.
        if (!dataSource.Cache.Options.RetryRejectedOpen || !JwtRejection.IsRetryable(e) || attempt.Token is not { } token || !attempt.FromCache)
        {
            return false;
        }

        Log.RetryingRejectedOpen(logger, token.ToString(), (e as PostgresException)?.MessageText ?? e.Message);
        dataSource.Cache.Invalidate(token);
        attempt.Reset();
        return true;
    }

    private Exception Translate(NpgsqlException e, OpenAttempt attempt)
    {
        if (e.InnerException is JwtSsoException inner)
        {
            ExceptionDispatchInfo.Throw(inner);
        }

        if (e is PostgresException pg
            && CockroachServerErrors.ToJwtSsoException(pg, attempt.Token, dataSource.Cache.Options.PrincipalClaim, dataSource.Username) is { } translated)
        {
            return translated;
        }

        ExceptionDispatchInfo.Throw(e);
        return e;
    }
}
