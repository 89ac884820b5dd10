using System.Runtime.CompilerServices;

namespace Npgsql.JwtSso.Internal;

/// <summary>
/// The per-physical-open password callbacks handed to Npgsql's <c>UsePasswordProvider</c>. The hit path is one volatile
/// read, a reference comparison and a cache read: no source call, no allocation.
/// </summary>
/// <remarks>
/// Before a data source gets its first token, the callback checks the settings Npgsql actually connects with (the
/// builder may have been edited after <c>UseJwtSso</c>, and Npgsql's own <c>Build()</c> runs no check of ours): the
/// transport rule of <see cref="ConnectionStringGuard"/>, a Username, and the username against the token. The verdict is
/// kept per data source (Npgsql passes each data source's own settings object).
/// </remarks>
internal sealed class JwtPasswordProvider(JwtSsoWiring wiring)
{
    private readonly ConditionalWeakTable<NpgsqlConnectionStringBuilder, object> _checked = [];
    private volatile NpgsqlConnectionStringBuilder? _ready;

    public string GetPassword(NpgsqlConnectionStringBuilder settings)
    {
        var ready = ReferenceEquals(_ready, settings);
        if (!ready)
        {
            CheckTransport(settings);
        }

        // One lookup per open: a miss goes straight to the engine, so it is counted once.
        if (wiring.Cache.TryGetToken(out var token))
        {
            return ready ? Record(token, fromCache: true) : Accept(token, fromCache: true, settings);
        }

        token = wiring.Cache.Refresher.AcquireAsync(force: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return Accept(token, fromCache: false, settings);
    }

    public ValueTask<string> GetPasswordAsync(NpgsqlConnectionStringBuilder settings, CancellationToken cancellationToken)
    {
        var ready = ReferenceEquals(_ready, settings);
        if (!ready)
        {
            CheckTransport(settings);
        }

        if (wiring.Cache.TryGetToken(out var token))
        {
            return new ValueTask<string>(ready ? Record(token, fromCache: true) : Accept(token, fromCache: true, settings));
        }

        return SlowAsync(settings, cancellationToken);
    }

    private static string Record(JwtToken token, bool fromCache)
    {
        OpenAttempt.Current?.Record(token, fromCache);
        return token.Value;
    }

    private async ValueTask<string> SlowAsync(NpgsqlConnectionStringBuilder settings, CancellationToken cancellationToken)
    {
        var token = await wiring.Cache.Refresher.AcquireAsync(force: false, cancellationToken).ConfigureAwait(false);
        return Accept(token, fromCache: false, settings);
    }

    private void CheckTransport(NpgsqlConnectionStringBuilder settings)
    {
        if (!_checked.TryGetValue(settings, out _))
        {
            // Throws the same message as UseJwtSso/BuildJwtSso: the token must not leave under these settings.
            ConnectionStringGuard.CheckTransport(settings, wiring.Options, wiring.Logger);
        }
    }

    private string Accept(JwtToken token, bool fromCache, NpgsqlConnectionStringBuilder settings)
    {
        if (ReferenceEquals(_ready, settings))
        {
            return Record(token, fromCache);
        }

        if (string.IsNullOrEmpty(settings.Username))
        {
            throw new JwtSsoException(JwtSsoErrorKind.Configuration, wiring.Cache.Source.Name, MissingUsername(token));
        }

        wiring.VerifyOnce(token, settings.Username);
        _checked.AddOrUpdate(settings, settings);
        _ready = settings;
        return Record(token, fromCache);
    }

    private string MissingUsername(JwtToken token)
    {
        var suggestion = CockroachJwtIdentity.ResolveAcceptedUsernames(token, wiring.Options.PrincipalClaim, wiring.IdentityMap).AcceptedUsernames is [var only]
            ? $"Username={only} (the SQL user the token maps to)"
            : "Username=<the SQL user the token maps to>";
        return $"The connection string has no Username, and Npgsql's Build() cannot derive it from the token. Set {suggestion} in the connection string, or build the data source with BuildJwtSsoAsync()/BuildJwtSso(), which derive it from the token.";
    }
}
