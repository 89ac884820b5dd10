using System.Text.RegularExpressions;

namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>
/// The packed and installed <c>crdb-jwt</c>, run as a user runs it: every shell block of the README's CLI section (and
/// of the tool's README, which must hold the same blocks) against the testing kit, the printed cluster settings applied
/// and then a login through psql, and the doctor on each kind of rejection.
/// </summary>
public sealed partial class InstalledToolTests(ToolFixture fixture) : ToolTestBase(fixture), IAsyncLifetime
{
    private const string Audience = "crdb-prod";
    private const string OktaClientId = "0oa1bot";
    private readonly string _work = Directory.CreateTempSubdirectory("crdb-jwt-readme-").FullName;
    private readonly string _oktaSecret = "s-" + Guid.NewGuid().ToString("N");
    private LocalJwtIssuer _issuer = null!;

    private string OktaIssuer => LocalOktaOrg.IssuerFor(_issuer.HttpsUri, LocalOktaOrg.DefaultServerId).AbsoluteUri.TrimEnd('/');

    public async Task InitializeAsync()
    {
        _issuer = await LocalJwtIssuer.StartAsync(new LocalJwtIssuerOptions { DefaultAudience = Audience });
        _issuer.Okta.AddAuthorizationServer(LocalOktaOrg.DefaultServerId, Audience, ["crdb.login"]);
        _issuer.Okta.AddClient(new LocalOktaClient { ClientId = OktaClientId, ClientSecret = _oktaSecret });
        await Fixture.Postgres.CreateRoleAsync("app");
        Directory.CreateDirectory(Path.Combine(_work, "certs"));
        File.Copy(Fixture.EmulatorCaFile, Path.Combine(_work, "certs", "ca.crt"));
        await File.WriteAllTextAsync(Path.Combine(_work, "issuer-ca.pem"), _issuer.CertificatePem);
        await File.WriteAllTextAsync(Path.Combine(_work, "token.jwt"), _issuer.MintToken(new JwtMintOptions { Subject = "alice", Audience = Audience }));
        var tokenFile = Path.Combine(_work, "token.jwt");
        await File.WriteAllTextAsync(Path.Combine(_work, "appsettings.json"), $$"""
            { "JwtSso": { "Source": "File", "File": { "Path": "{{tokenFile}}" } },
              "BillingSso": { "Source": "File", "File": { "Path": "{{tokenFile}}" } } }
            """);
        ConfigureCluster();
    }

    public async Task DisposeAsync()
    {
        await _issuer.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    /// <summary>The cluster the README's examples talk to: both issuers, audience crdb-prod, the Okta app mapped to 'app'.</summary>
    private void ConfigureCluster()
    {
        var s = Cluster;
        s.Reset();
        s.Enabled = true;
        s.Jwks = _issuer.JwksJson;
        s.IssuersConfiguration = $"[\"{_issuer.Issuer}\",\"{OktaIssuer}\"]";
        s.Audience = Audience;
        s.IdentityMapConfiguration = $"{OktaIssuer} {OktaClientId} app";
    }

    /// <summary>The README's placeholders, replaced by the testing kit's hosts (certs/ca.crt is the emulator's CA in the working folder).</summary>
    private string Localize(string text) => text
        .Replace("host=crdb.example.com port=26257", $"host=127.0.0.1 port={Fixture.Emulator.Port}", StringComparison.Ordinal)
        .Replace("crdb.example.com:26257", $"127.0.0.1:{Fixture.Emulator.Port}", StringComparison.Ordinal)
        .Replace("dbname=defaultdb", "dbname=postgres", StringComparison.Ordinal)
        .Replace("/defaultdb", "/postgres", StringComparison.Ordinal)
        .Replace("dev-123.okta.com", _issuer.HttpsUri.Authority, StringComparison.Ordinal)
        .Replace("https://idp.example.com", _issuer.Issuer, StringComparison.Ordinal);

    private async Task<Dictionary<string, string>> EnvironmentAsync()
    {
        var tools = await InstalledTool.GetAsync();
        return new()
        {
            ["PATH"] = tools + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["SSL_CERT_FILE"] = Path.Combine(_work, "issuer-ca.pem"),
            ["OKTA_SECRET"] = _oktaSecret,
            ["DB_URL"] = Localize("postgresql://alice@crdb.example.com:26257/defaultdb?sslmode=verify-full&sslrootcert=certs/ca.crt"),
            ["PGCONNECT_TIMEOUT"] = "20",
            ["DOTNET_ENVIRONMENT"] = string.Empty,
            ["CRDB_JWT_CLIENT_SECRET"] = _oktaSecret, // as the token example exports it for the examples after it
        };
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> BashAsync(string script)
        => await InstalledTool.RunAsync("bash", ["-euo", "pipefail", "-c", script], _work, await EnvironmentAsync());

    /// <summary>The ```sh blocks between a heading and the next heading of the same level.</summary>
    internal static List<string> ShellBlocks(string markdown, string headingStart)
        => ShellBlock().Matches(Markdown.Section(markdown, headingStart)).Select(m => m.Groups[1].Value).ToList();

    internal static string RootReadme => File.ReadAllText(Path.Combine(InstalledTool.RepositoryRoot, "README.md"));

    internal static string ToolReadme => File.ReadAllText(Path.Combine(InstalledTool.RepositoryRoot, "src", "Npgsql.JwtSso.Tool", "README.md"));

    internal static List<string> CliBlocks => ShellBlocks(RootReadme, "## Command-line tool: `crdb-jwt`");

    [Fact]
    public void Readmes_HoldTheSameExamples()
        => Assert.Equal(CliBlocks, ShellBlocks(ToolReadme, "# crdb-jwt (Npgsql.JwtSso.Tool)"));

    [Fact]
    public async Task Readme_EveryCliBlock_RunsWithTheInstalledTool()
    {
        var blocks = CliBlocks;
        Assert.True(blocks.Count >= 6, $"expected the CLI section's examples, found {blocks.Count} blocks");
        foreach (var block in blocks)
        {
            // The test installed the package itself (into a tool path); the global install line is the only one not run.
            var script = string.Join('\n', block.Split('\n').Select(l => l.StartsWith("dotnet tool install --global", StringComparison.Ordinal) ? ":" : l));
            ConfigureCluster();

            var (exit, stdout, stderr) = await BashAsync(Localize(script));

            Assert.True(exit == 0, $"README block failed (exit {exit}):\n{block}\n--- stderr\n{Redact(stderr)}");
            Assert.DoesNotContain(_oktaSecret, stdout + stderr, StringComparison.Ordinal);
            if (block.Contains("select current_user", StringComparison.Ordinal))
            {
                Assert.True(stdout.Split('\n').Any(l => l.Trim() == "app"), $"psql did not print 'app':\n{block}\n--- stdout\n{Redact(stdout)}");
            }
        }
    }

    [Fact]
    public async Task Readme_OktaClusterSettings_AppliedThenALoginWorks()
    {
        var line = CliBlocks.SelectMany(b => b.Split('\n')).Single(l => l.StartsWith("crdb-jwt cluster-settings --source okta", StringComparison.Ordinal));
        var (exit, stdout, stderr) = await BashAsync(Localize(line));
        Assert.True(exit == 0, stderr);

        Cluster.Reset();
        foreach (Match statement in SetStatement().Matches(stdout))
        {
            Cluster.Set(statement.Groups[1].Value, statement.Groups[2].Success ? statement.Groups[2].Value.Replace("''", "'", StringComparison.Ordinal) : statement.Groups[3].Value);
        }

        var login = await BashAsync(Localize("psql \"$(crdb-jwt url -c 'postgresql://app@crdb.example.com:26257/defaultdb?sslmode=verify-full&sslrootcert=certs/ca.crt' --source okta --domain dev-123.okta.com --client-id 0oa1bot --client-secret \"$OKTA_SECRET\" --scope crdb.login)\" -X -A -t -c 'select current_user'"));
        Assert.True(login.ExitCode == 0, login.Stderr);
        Assert.Equal("app", login.Stdout.Trim());
    }

    public static TheoryData<string, string, string> Rejections => new()
    {
        { "audience", "--setting audience=other-cluster", "JWT authentication: invalid audience" },
        { "issuer", "--setting issuers=https://elsewhere.example.com", "JWT authentication: invalid issuer" },
        { "expired", string.Empty, "The token expired at" },
        { "nologin", string.Empty, "carol_nologin does not have login privilege" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task Doctor_EachRejectionKind_IsExplainedByTheInstalledTool(string kind, string settings, string expected)
    {
        var token = kind == "expired"
            ? _issuer.MintToken(new JwtMintOptions { Subject = "alice", Audience = Audience, IssuedAt = DateTimeOffset.UtcNow.AddHours(-2), Lifetime = TimeSpan.FromHours(1) })
            : _issuer.MintToken(new JwtMintOptions { Subject = kind == "nologin" ? "carol_nologin" : "alice", Audience = Audience });
        await File.WriteAllTextAsync(Path.Combine(_work, "reject.jwt"), token);
        if (kind == "audience")
        {
            Cluster.Audience = "other-cluster";
        }
        else if (kind == "issuer")
        {
            Cluster.IssuersConfiguration = "https://elsewhere.example.com";
        }

        var user = kind == "nologin" ? "carol_nologin" : "alice";
        var (exit, stdout, stderr) = await BashAsync(Localize($"crdb-jwt doctor --token-file reject.jwt --connection 'postgresql://{user}@crdb.example.com:26257/defaultdb?sslmode=verify-full&sslrootcert=certs/ca.crt' --setting audience={Audience} --setting 'issuers=https://idp.example.com' {settings}"));

        Assert.True(exit == ExitCodes.ProblemsFound, $"exit {exit}\n{Redact(stdout)}\n{Redact(stderr)}");
        Assert.Contains(expected, stdout, StringComparison.Ordinal);
        Assert.Contains("fix:", stdout, StringComparison.Ordinal);
    }

    /// <summary>Test output never shows a token, even a test one.</summary>
    private static string Redact(string text) => Jwt().Replace(text, "<token>");

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")]
    private static partial Regex Jwt();

    [GeneratedRegex("```sh\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex(@"^SET CLUSTER SETTING (\S+) = (?:'((?:[^']|'')*)'|(\S+));$", RegexOptions.Multiline)]
    private static partial Regex SetStatement();
}
