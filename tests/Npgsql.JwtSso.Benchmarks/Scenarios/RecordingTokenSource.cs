namespace Npgsql.JwtSso.Benchmarks.Scenarios;

/// <summary>Passes calls through to a provider's source and remembers each token it returned, for the leak scan.</summary>
public sealed class RecordingTokenSource(JwtTokenSource inner, ScenarioContext context) : JwtTokenSource
{
    public override string Name => inner.Name;

    public override async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        var token = await inner.GetTokenAsync(cancellationToken);
        context.RememberSecret(token.Value);
        return token;
    }
}
