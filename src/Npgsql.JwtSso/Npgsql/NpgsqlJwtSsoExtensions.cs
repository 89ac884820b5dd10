using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// Wires JWT single sign-on into Npgsql's data-source builders: the token (from a <see cref="JwtTokenCache"/>) becomes the
/// password of every physical open, and the connection string is put into CockroachDB's JWT mode.
/// </summary>
/// <remarks>
/// <para><c>UseJwtSso</c> changes the builder's connection string immediately: it refuses <c>Password</c>/<c>Passfile</c>
/// (the token is the password), requires <c>SSL Mode=VerifyFull</c> (or <c>VerifyCA</c> with an explicit
/// <c>Root Certificate</c>, logged as a warning) unless <see cref="JwtSsoOptions.AllowInsecureTransport"/> is set (on an
/// <see cref="NpgsqlSlimDataSourceBuilder"/> it also calls <c>EnableTransportSecurity()</c>, which TLS needs there), merges <c>--crdb:jwt_auth_enabled=true</c> into
/// <c>Options</c>, and sets <c>GSS Encryption Mode=Disable</c> unless the connection string sets it (otherwise Npgsql
/// retries a rejected login without GSS and sends the token twice).</para>
/// <para>Npgsql fixes the username when the data source is built, so a username derived from the token must be known by then.
/// Build with <c>BuildJwtSsoAsync()</c> (recommended: it fetches the first token, derives an empty <c>Username</c> from
/// the token's <see cref="JwtSsoOptions.PrincipalClaim"/> through <see cref="JwtSsoOptions.IdentityMap"/>, and checks a given
/// one), or <c>BuildJwtSso()</c> (which fetches synchronously, within <see cref="JwtSsoOptions.AcquireTimeout"/>, only when
/// <c>Username</c> is empty). Both return a <see cref="JwtSsoDataSource"/> whose opens retry once on a rejected cached token.
/// Npgsql's own <c>Build()</c> also works, but needs an explicit <c>Username</c>, and its errors carry no hints; its
/// first open re-checks the transport rule and the Username on the settings it was built with.
/// With <see cref="JwtSsoOptions.VerifyUsername"/>, the username is checked against the first token the data source gets.</para>
/// </remarks>
// RS0026 guards against adding optional parameters to an existing overload; these are new overloads, one per builder
// type because NpgsqlDataSourceBuilder and NpgsqlSlimDataSourceBuilder share no interface.
#pragma warning disable RS0026
public static class NpgsqlJwtSsoExtensions
{
    /// <summary>Uses tokens from <paramref name="source"/>, through a new <see cref="JwtTokenCache"/> owned by the built <see cref="JwtSsoDataSource"/>.</summary>
    /// <param name="builder">The data-source builder.</param>
    /// <param name="source">The token source.</param>
    /// <param name="configure">Adjusts the options, or <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Logging for the cache and the wiring (never logs token text), or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The connection string conflicts with JWT single sign-on (<see cref="JwtSsoErrorKind.Configuration"/>); the message names the setting.</exception>
    public static NpgsqlDataSourceBuilder UseJwtSso(this NpgsqlDataSourceBuilder builder, JwtTokenSource source, Action<JwtSsoOptions>? configure = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var provider = Attach(builder, builder.ConnectionStringBuilder, CreateCache(source, configure, loggerFactory), true, loggerFactory);
        builder.UsePasswordProvider(provider.GetPassword, provider.GetPasswordAsync);
        return builder;
    }

    /// <summary>Uses tokens from an existing <paramref name="cache"/> (shared, not disposed by the data source); its <see cref="JwtTokenCache.Options"/> apply.</summary>
    /// <param name="builder">The data-source builder.</param>
    /// <param name="cache">The token cache.</param>
    /// <param name="loggerFactory">Logging for the wiring, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="cache"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The connection string conflicts with JWT single sign-on; the message names the setting.</exception>
    public static NpgsqlDataSourceBuilder UseJwtSso(this NpgsqlDataSourceBuilder builder, JwtTokenCache cache, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(cache);
        var provider = Attach(builder, builder.ConnectionStringBuilder, cache, false, loggerFactory);
        builder.UsePasswordProvider(provider.GetPassword, provider.GetPasswordAsync);
        return builder;
    }

    /// <summary>Uses tokens from <paramref name="source"/>, through a new <see cref="JwtTokenCache"/> owned by the built <see cref="JwtSsoDataSource"/>, and enables transport security (TLS).</summary>
    /// <param name="builder">The slim data-source builder.</param>
    /// <param name="source">The token source.</param>
    /// <param name="configure">Adjusts the options, or <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Logging for the cache and the wiring, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The connection string conflicts with JWT single sign-on; the message names the setting.</exception>
    public static NpgsqlSlimDataSourceBuilder UseJwtSso(this NpgsqlSlimDataSourceBuilder builder, JwtTokenSource source, Action<JwtSsoOptions>? configure = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var provider = Attach(builder, builder.ConnectionStringBuilder, CreateCache(source, configure, loggerFactory), true, loggerFactory);
        builder.UsePasswordProvider(provider.GetPassword, provider.GetPasswordAsync);
        return builder.EnableTransportSecurity();
    }

    /// <summary>Uses tokens from an existing <paramref name="cache"/> (shared, not disposed by the data source), and enables transport security (TLS).</summary>
    /// <param name="builder">The slim data-source builder.</param>
    /// <param name="cache">The token cache.</param>
    /// <param name="loggerFactory">Logging for the wiring, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="cache"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The connection string conflicts with JWT single sign-on; the message names the setting.</exception>
    public static NpgsqlSlimDataSourceBuilder UseJwtSso(this NpgsqlSlimDataSourceBuilder builder, JwtTokenCache cache, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(cache);
        var provider = Attach(builder, builder.ConnectionStringBuilder, cache, false, loggerFactory);
        builder.UsePasswordProvider(provider.GetPassword, provider.GetPasswordAsync);
        return builder.EnableTransportSecurity();
    }

    /// <summary>Builds a <see cref="JwtSsoDataSource"/>; when <c>Username</c> is empty, fetches the first token now (blocking, within <see cref="JwtSsoOptions.AcquireTimeout"/>) to derive it.</summary>
    /// <param name="builder">A builder on which <c>UseJwtSso</c> was called.</param>
    /// <returns>The data source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><c>UseJwtSso</c> was not called on <paramref name="builder"/>.</exception>
    /// <exception cref="JwtSsoException">No token could be obtained, or the token maps to no (or several) usernames.</exception>
    public static JwtSsoDataSource BuildJwtSso(this NpgsqlDataSourceBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var wiring = Prepare(builder, builder.ConnectionStringBuilder, null);
        return new JwtSsoDataSource(builder.Build(), wiring);
    }

    /// <summary>Fetches the first token, derives an empty <c>Username</c> from it or checks the given one, then builds a <see cref="JwtSsoDataSource"/>.</summary>
    /// <param name="builder">A builder on which <c>UseJwtSso</c> was called.</param>
    /// <param name="cancellationToken">Cancels the wait for the first token.</param>
    /// <returns>The data source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><c>UseJwtSso</c> was not called on <paramref name="builder"/>.</exception>
    /// <exception cref="JwtSsoException">No token could be obtained, or the username does not match the token (<see cref="JwtSsoErrorKind.IdentityMismatch"/>).</exception>
    public static async ValueTask<JwtSsoDataSource> BuildJwtSsoAsync(this NpgsqlDataSourceBuilder builder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var token = await JwtSsoWiring.Find(builder).Cache.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var wiring = Prepare(builder, builder.ConnectionStringBuilder, token);
        return new JwtSsoDataSource(builder.Build(), wiring);
    }

    /// <summary>Builds a <see cref="JwtSsoDataSource"/>; when <c>Username</c> is empty, fetches the first token now (blocking, within <see cref="JwtSsoOptions.AcquireTimeout"/>) to derive it.</summary>
    /// <param name="builder">A slim builder on which <c>UseJwtSso</c> was called.</param>
    /// <returns>The data source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><c>UseJwtSso</c> was not called on <paramref name="builder"/>.</exception>
    /// <exception cref="JwtSsoException">No token could be obtained, or the token maps to no (or several) usernames.</exception>
    public static JwtSsoDataSource BuildJwtSso(this NpgsqlSlimDataSourceBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var wiring = Prepare(builder, builder.ConnectionStringBuilder, null);
        return new JwtSsoDataSource(builder.Build(), wiring);
    }

    /// <summary>Fetches the first token, derives an empty <c>Username</c> from it or checks the given one, then builds a <see cref="JwtSsoDataSource"/>.</summary>
    /// <param name="builder">A slim builder on which <c>UseJwtSso</c> was called.</param>
    /// <param name="cancellationToken">Cancels the wait for the first token.</param>
    /// <returns>The data source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><c>UseJwtSso</c> was not called on <paramref name="builder"/>.</exception>
    /// <exception cref="JwtSsoException">No token could be obtained, or the username does not match the token.</exception>
    public static async ValueTask<JwtSsoDataSource> BuildJwtSsoAsync(this NpgsqlSlimDataSourceBuilder builder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var token = await JwtSsoWiring.Find(builder).Cache.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var wiring = Prepare(builder, builder.ConnectionStringBuilder, token);
        return new JwtSsoDataSource(builder.Build(), wiring);
    }

    private static JwtTokenCache CreateCache(JwtTokenSource source, Action<JwtSsoOptions>? configure, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(source);
        var options = new JwtSsoOptions();
        configure?.Invoke(options);
        return new JwtTokenCache(source, options, TimeProvider.System, loggerFactory);
    }

    private static JwtPasswordProvider Attach(object builder, NpgsqlConnectionStringBuilder csb, JwtTokenCache cache, bool ownsCache, ILoggerFactory? loggerFactory)
    {
        try
        {
            return new JwtPasswordProvider(JwtSsoWiring.Attach(builder, csb, cache, ownsCache, loggerFactory));
        }
        catch when (ownsCache)
        {
            cache.Dispose();
            throw;
        }
    }

    private static JwtSsoWiring Prepare(object builder, NpgsqlConnectionStringBuilder csb, JwtToken? token)
    {
        var wiring = JwtSsoWiring.Find(builder);

        // The connection string may have been edited after UseJwtSso.
        ConnectionStringGuard.RefuseStaticPassword(csb);
        ConnectionStringGuard.CheckTransport(csb, wiring.Options, NullLogger.Instance); // already warned by UseJwtSso
        csb.Options = CrdbStartupOptions.MergeJwtFlag(csb.Options);
        if (string.IsNullOrEmpty(csb.Username))
        {
            csb.Username = wiring.VerifyOnce(token ?? wiring.Cache.GetToken(), null);
        }
        else if (token is not null)
        {
            wiring.VerifyOnce(token, csb.Username);
        }

        return wiring;
    }
}
#pragma warning restore RS0026
