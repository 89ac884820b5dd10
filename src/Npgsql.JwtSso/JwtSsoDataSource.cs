using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// An <see cref="NpgsqlDataSource"/> wrapper whose opens understand JWT single sign-on: an open the cluster rejects with
/// SQLSTATE 28000 <c>JWT authentication: …</c> while a cached token was used is retried once with a fresh token, and
/// login errors become a <see cref="JwtSsoException"/> whose message names the setting to fix.
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

    internal JwtSsoDataSource(NpgsqlDataSource inner, JwtSsoWiring wiring)
    {
        Inner = inner;
        _wiring = wiring;
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

    /// <summary>Opens a connection, retrying once with a fresh token when the cluster rejects a cached one.</summary>
    /// <returns>An open connection.</returns>
    /// <exception cref="JwtSsoException">No token could be obtained, the username does not match the token, or the cluster rejected the login (with a hint).</exception>
    public new NpgsqlConnection OpenConnection()
    {
        var previous = OpenAttempt.Current;
        var attempt = OpenAttempt.Current = new OpenAttempt();
        try
        {
            for (var retried = false; ; retried = true)
            {
                var connection = Inner.CreateConnection();
                try
                {
                    connection.Open();
                    return connection;
                }
                catch (Exception e)
                {
                    connection.Dispose();
                    if (e is not NpgsqlException)
                    {
                        throw;
                    }

                    if (!retried && ShouldRetry(e, attempt))
                    {
                        continue;
                    }

                    throw Translate(e, attempt);
                }
            }
        }
        finally
        {
            OpenAttempt.Current = previous;
        }
    }

    /// <summary>Opens a connection, retrying once with a fresh token when the cluster rejects a cached one.</summary>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>An open connection.</returns>
    /// <exception cref="JwtSsoException">No token could be obtained, the username does not match the token, or the cluster rejected the login (with a hint).</exception>
    public new async ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var attempt = OpenAttempt.Current = new OpenAttempt(); // restored when this async method returns
        for (var retried = false; ; retried = true)
        {
            var connection = Inner.CreateConnection();
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch (Exception e)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                if (e is not NpgsqlException)
                {
                    throw;
                }

                if (!retried && ShouldRetry(e, attempt))
                {
                    continue;
                }

                throw Translate(e, attempt);
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

    private bool ShouldRetry(Exception e, OpenAttempt attempt)
    {
        // A token fetched for this very open was just issued: retrying it would only repeat the same rejection.
        if (!_wiring.Options.RetryRejectedOpen || e is not PostgresException pg || !CockroachServerErrors.IsJwtRejection(pg)
            || attempt.Token is not { } token || !attempt.FromCache)
        {
            return false;
        }

        Log.RetryingRejectedOpen(_wiring.Logger, token.ToString(), pg.MessageText);
        _wiring.Cache.Invalidate(token);
        attempt.Reset();
        return true;
    }

    [SuppressMessage("Usage", "CA2201:Do not raise reserved exception types", Justification = "Rethrows the original exception unchanged.")]
    private Exception Translate(Exception e, OpenAttempt attempt)
    {
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
}
