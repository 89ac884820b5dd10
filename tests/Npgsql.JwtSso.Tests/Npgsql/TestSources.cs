
namespace Npgsql.JwtSso.Tests.NpgsqlWiring;

/// <summary>Hands back the same token text on every call, like a source that caches tokens itself (MSAL, a file, env, static).</summary>
internal sealed class ConstantTokenSource(string token) : JwtTokenSource
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public string Token => token;

    public override string Name => "Constant";

    public override async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        Interlocked.Increment(ref _calls);
        return JwtToken.Parse(token);
    }
}

/// <summary>An identity provider that is down: every call fails, asynchronously, like an unreachable endpoint.</summary>
internal sealed class UnreachableTokenSource(string name) : JwtTokenSource
{
    public override string Name => name;

    public override async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        throw new HttpRequestException("Connection refused (idp.test:443)");
    }
}
