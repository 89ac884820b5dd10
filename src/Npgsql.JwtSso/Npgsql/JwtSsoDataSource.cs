using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// An <see cref="NpgsqlDataSource"/> wrapper whose opens understand JWT single sign-on: an open the cluster rejects is
/// retried once only where that can help (a cached token that expired or was signed with a rotated key gets a fresh
/// token; a token not yet valid on the cluster's clock is re-sent once its <c>iat</c>/<c>nbf</c> has passed, within 2 s),
/// configuration rejections fail at once, and login errors become a <see cref="JwtSsoException"/> whose message names
/// the setting to fix. The rule is <see cref="CockroachServerErrors.ClassifyRejection(PostgresException)"/>.
/// Created by <c>BuildJwtSso()</c> / <c>BuildJwtSsoAsync()</c>.
/// </summary>
/// <remarks>
/// A bare <see cref="NpgsqlDataSource"/> cannot do this: Npgsql calls the password provider before authentication and
/// offers no hook between the server's authentication failure and the caller, so the retry has to wrap the open itself.
/// Only <see cref="OpenConnection"/> / <see cref="OpenConnectionAsync"/> (and the <see cref="DbDataSource"/> open methods)
/// retry; a connection from <see cref="CreateConnection"/> opened by hand, and pooled opens that need no login, do not.
/// </remarks>
public sealed class JwtSsoDataSource : DbDataSource
{
    private readonly JwtSsoWiring _wiring;
    private readonly RejectionRetry _retry;

    internal JwtSsoDataSource(NpgsqlDataSource inner, JwtSsoWiring wiring)
    {
        Inner = inner;
        _wiring = wiring;
        _retry = new RejectionRetry(wiring);
        Username = new NpgsqlConnectionStringBuilder(inner.ConnectionString).Username;
    }

    /// <summary>Gets the wrapped Npgsql data source (for APIs that need an <see cref="NpgsqlDataSource"/>, such as EF Core).</summary>
    public NpgsqlDataSource Inner { get; }

    /// <summary>Gets the token cache that supplies the password of every physical open.</summary>
    public JwtTokenCache Cache => _wiring.Cache;

    /// <summary>Gets the SQL username the connections log in as (from the connection string or derived from the token).</summary>
    public string? Username { get; }

    /// <inheritdoc />
    public override string ConnectionString => Inner.ConnectionString;

    /// <summary>Creates a closed connection (opening it by hand bypasses the retry; prefer <see cref="OpenConnectionAsync"/>).</summary>
    /// <returns>A new connection.</returns>
    public new NpgsqlConnection CreateConnection() => Inner.CreateConnection();

    /// <summary>Opens a connection; when the cluster rejects the token, retries once where that can help (see <see cref="CockroachServerErrors.ClassifyRejection(PostgresException)"/>).</summary>
    /// <returns>An open connection.</returns>
    /// <exception cref="JwtSsoException">No token could be obtained, the username does not match the token, or the cluster rejected the login (with a hint).</exception>
    public new NpgsqlConnection OpenConnection()
    {
        var connection = Inner.CreateConnection();
        try
        {
            OpenWithRecovery(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens a connection; when the cluster rejects the token, retries once where that can help (see <see cref="CockroachServerErrors.ClassifyRejection(PostgresException)"/>).</summary>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>An open connection.</returns>
    /// <exception cref="JwtSsoException">No token could be obtained, the username does not match the token, or the cluster rejected the login (with a hint).</exception>
    public new async ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = Inner.CreateConnection();
        try
        {
            await OpenWithRecoveryAsync(connection, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Opens a closed connection of this data source with the rejection rule: the one loop that every retrying open
    /// runs (this data source's own opens and EF Core's, through its connection interceptor). A failed open leaves the
    /// connection closed, so the same instance is opened again.
    /// </summary>
    internal void OpenWithRecovery(NpgsqlConnection connection)
    {
        var previous = OpenAttempt.Current;
        var attempt = OpenAttempt.Current = new OpenAttempt();
        try
        {
            Rejection? first = null;
            while (true)
            {
                try
                {
                    connection.Open();
                    return;
                }
                catch (NpgsqlException e)
                {
                    if (NextStep(e, attempt, ref first) is not { } delay)
                    {
                        throw Translate(e, attempt, first);
                    }

                    if (delay > TimeSpan.Zero)
                    {
                        Task.Delay(delay, _retry.Time).GetAwaiter().GetResult();
                    }
                }
            }
        }
        finally
        {
            OpenAttempt.Current = previous;
        }
    }

    /// <summary>The asynchronous form of <see cref="OpenWithRecovery"/>.</summary>
    internal async Task OpenWithRecoveryAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var attempt = OpenAttempt.Current = new OpenAttempt(); // restored when this async method returns
        Rejection? first = null;
        while (true)
        {
            TimeSpan? delay;
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (NpgsqlException e)
            {
                delay = NextStep(e, attempt, ref first);
                if (delay is null)
                {
                    throw Translate(e, attempt, first);
                }
            }

            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay.Value, _retry.Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    protected override DbConnection CreateDbConnection() => CreateConnection();

    /// <inheritdoc />
    protected override DbConnection OpenDbConnection() => OpenConnection();

    /// <inheritdoc />
    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
        => await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
            if (_wiring.OwnsCache)
            {
                _wiring.Cache.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    protected override async ValueTask DisposeAsyncCore()
    {
        await Inner.DisposeAsync().ConfigureAwait(false);
        if (_wiring.OwnsCache)
        {
            await _wiring.Cache.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    /// <summary>Returns the wait before the one retry, or <see langword="null"/> when the error is final.</summary>
    private TimeSpan? NextStep(NpgsqlException e, OpenAttempt attempt, ref Rejection? first)
    {
        if (first is not null)
        {
            return null; // retried once already
        }

        var plan = _retry.Plan(e, attempt);
        if (!plan.Retry)
        {
            return null;
        }

        first = new Rejection((PostgresException)e, attempt.Token);
        attempt.Reset(plan.MustNotResend);
        return plan.Delay;
    }

    [SuppressMessage("Usage", "CA2201:Do not raise reserved exception types", Justification = "Rethrows the original exception unchanged.")]
    private Exception Translate(Exception e, OpenAttempt attempt, Rejection? first)
    {
        if (e.InnerException is RejectedTokenHandedBackException && first is not null
            && CockroachServerErrors.ToJwtSsoException(first.Error, first.Token, _wiring.Options.PrincipalClaim, Username) is { } original)
        {
            return new JwtSsoException(original.Kind, original.SourceName,
                original.Message + " The token source handed back the same token after the cache dropped it (it caches tokens itself), so the open was not retried.",
                first.Error);
        }

        if (e.InnerException is JwtSsoException inner)
        {
            ExceptionDispatchInfo.Throw(inner);
        }

        if (e is PostgresException pg
            && CockroachServerErrors.ToJwtSsoException(pg, attempt.Token, _wiring.Options.PrincipalClaim, Username) is { } translated)
        {
            return translated;
        }

        ExceptionDispatchInfo.Throw(e);
        return e;
    }

    private sealed record Rejection(PostgresException Error, JwtToken? Token);
}
