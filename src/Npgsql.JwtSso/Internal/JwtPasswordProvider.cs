namespace Npgsql.JwtSso.Internal;

/// <summary>
/// The per-physical-open password callbacks handed to Npgsql's <c>UsePasswordProvider</c>. The hit path is a cache read
/// and a flag read: no source call, no allocation.
/// </summary>
internal sealed class JwtPasswordProvider(JwtSsoWiring wiring)
{
    public string GetPassword(NpgsqlConnectionStringBuilder settings)
    {
        if (wiring.Cache.TryGetToken(out var token))
        {
            if (wiring.IsVerified)
            {
                OpenAttempt.Current?.Record(token, fromCache: true);
                return token.Value;
            }

            return Accept(token, fromCache: true, settings);
        }

        return Accept(wiring.Cache.GetToken(), fromCache: false, settings);
    }

    public ValueTask<string> GetPasswordAsync(NpgsqlConnectionStringBuilder settings, CancellationToken cancellationToken)
    {
        if (wiring.Cache.TryGetToken(out var token))
        {
            if (wiring.IsVerified)
            {
                OpenAttempt.Current?.Record(token, fromCache: true);
                return new ValueTask<string>(token.Value);
            }

            return new ValueTask<string>(Accept(token, fromCache: true, settings));
        }

        return SlowAsync(settings, cancellationToken);
    }

    private async ValueTask<string> SlowAsync(NpgsqlConnectionStringBuilder settings, CancellationToken cancellationToken)
    {
        var token = await wiring.Cache.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return Accept(token, fromCache: false, settings);
    }

    private string Accept(JwtToken token, bool fromCache, NpgsqlConnectionStringBuilder settings)
    {
        if (string.IsNullOrEmpty(settings.Username) && !wiring.IsVerified)
        {
            throw new JwtSsoException(JwtSsoErrorKind.Configuration, wiring.Cache.Source.Name,
                "The connection string has no Username. Set Username to the SQL user the token maps to, or build the data source with BuildJwtSso()/BuildJwtSsoAsync(), which derive it from the token.");
        }

        wiring.VerifyOnce(token, settings.Username);
        OpenAttempt.Current?.Record(token, fromCache);
        return token.Value;
    }
}
