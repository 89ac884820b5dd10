using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Npgsql.JwtSso.Testing.Tests.Vendors;

/// <summary>
/// GitHubActionsTokenSource reads ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN from the process environment, so every test that
/// sets them runs in this one non-parallel collection.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GitHubActionsCollection : ICollectionFixture<GitHubActionsFixture>
{
    public const string Name = "GitHub Actions environment";
}

/// <summary>One issuer on a fake clock that starts where the contract suite's clock starts.</summary>
public sealed class GitHubActionsFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(TestJwt.ContractIssuedAt);

    public LocalJwtIssuer Issuer { get; private set; } = null!;

    public async Task InitializeAsync() => Issuer = await LocalJwtIssuer.StartAsync(new LocalJwtIssuerOptions { TimeProvider = Time });

    public async Task DisposeAsync() => await Issuer.DisposeAsync();

    /// <summary>Clears faults and the request log and puts the job's variables into the environment; dispose to remove them.</summary>
    public IDisposable Enter(string? requestToken = null)
    {
        Issuer.Faults.ClearAll();
        Issuer.ResetRequests();
        var variables = new Dictionary<string, string>(Issuer.GitHubActionsEnvironment);
        if (requestToken is not null)
        {
            variables["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = requestToken;
        }

        return new EnvironmentScope(variables);
    }

    private sealed class EnvironmentScope : IDisposable
    {
        private readonly Dictionary<string, string?> _previous = [];

        public EnvironmentScope(IReadOnlyDictionary<string, string> variables)
        {
            foreach (var (name, value) in variables)
            {
                _previous[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _previous)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
