namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>
/// A doctor run for each rejection of crdb-jwt-server.md §3.1 (and the user-record errors): the login is tried against
/// the emulator, and the report carries the server's answer and the fix that matches it.
/// </summary>
public sealed class DoctorRejectionTests(ToolFixture fixture) : ToolTestBase(fixture)
{
    private Task<ToolResult> DoctorAsync(string token, string user = "alice", params string[] extra)
        => RunAsync(["doctor", "--token", token, "--connection", Connection(user), "--admin-connection", "cluster", .. extra]);

    [Fact]
    public async Task Doctor_AllWell_ExitsZeroAndLogsIn()
    {
        var result = await DoctorAsync(Mint());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Logged in to 127.0.0.1", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("as 'alice'", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("No problem found.", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, Fixture.Emulator.LoginsSucceeded);
    }

    [Fact]
    public async Task Doctor_AutoFetch_FindsTheKeyAtTheIssuer()
    {
        Cluster.JwksAutoFetchEnabled = true;
        Cluster.Jwks = "{\"keys\":[]}";

        var result = await DoctorAsync(Mint());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Found the key 'rsa-1' in the keys at", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("(auto-fetch)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_NotEnabled_NamesTheEnableStatement()
    {
        Cluster.Enabled = false;

        var result = await DoctorAsync(Mint());

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("JWT authentication: not enabled (SQLSTATE 28000)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("SET CLUSTER SETTING server.jwt_authentication.enabled = true;", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_TextIsNotAJwt_SaysSoWithoutTryingTheLogin()
    {
        var result = await DoctorAsync("Bearer abc.def");

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("not a JWT", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("no 'Bearer ' prefix", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, Fixture.Emulator.LoginsAttempted);
    }

    [Fact]
    public async Task Doctor_UnknownKeyId_NamesTheJwksSetting()
    {
        Cluster.Jwks = $$"""{"keys":[{{Fixture.Issuer.GetKey(LocalJwtIssuer.EcKeyId).ToJwkJson()}}]}""";

        var result = await DoctorAsync(Mint());

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("failed to find key with key ID \"rsa-1\"", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("No key with kid 'rsa-1' in server.jwt_authentication.jwks (kids: [ec-1])", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("update server.jwt_authentication.jwks with the issuer's current keys", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_ExpiredToken_SaysFetchAFreshOneAndNamesTheClock()
    {
        var result = await DoctorAsync(Mint(configure: o => o.Defects = JwtDefects.Expired));

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("The token expired at", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Fetch a fresh token", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"exp\" not satisfied", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("compare this machine's clock with the cluster nodes' clocks", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_IssuedInFuture_NamesClockSynchronisation()
    {
        var result = await DoctorAsync(Mint(configure: o => o.Defects = JwtDefects.IssuedInFuture));

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("The token's 'iat' is", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"iat\" not satisfied", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("fix clock synchronisation", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_NotYetValid_FlagsNbf()
    {
        var result = await DoctorAsync(Mint(configure: o => o.Defects = JwtDefects.NotYetValid));

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("The token's 'nbf' is", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"nbf\" not satisfied", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_WrongIssuer_NamesTheIssuersSetting()
    {
        Cluster.IssuersConfiguration = Fixture.Issuer.Issuer + "/";

        var result = await DoctorAsync(Mint());

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("JWT authentication: invalid issuer", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"close to '{Fixture.Issuer.Issuer}/', but issuers are compared exactly", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Add '{Fixture.Issuer.Issuer}' to server.jwt_authentication.issuers.configuration", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_KeysUnreachable_ExplainsUnableToValidate()
    {
        Cluster.JwksAutoFetchEnabled = true;
        Fixture.Issuer.Faults.Set(IssuerEndpointNames.Discovery, IssuerFault.ServerError(503));

        var result = await DoctorAsync(Mint());

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("JWT authentication: unable to validate token", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("this machine could not fetch the issuer's keys", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("could not fetch the signing keys", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_MissingClaim_NamesTheClaimSetting()
    {
        Cluster.Claim = "email";

        var result = await DoctorAsync(Mint());

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("JWT authentication: missing claim", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("token does not contain a claim for email", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("set server.jwt_authentication.claim", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_TokenForAnotherUser_SuggestsTheIdentityMapLine()
    {
        var result = await DoctorAsync(Mint("bob"), "alice");

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("token issued for [bob] and login was for alice", result.Stdout, StringComparison.Ordinal);
        var line = IdentityMap.SuggestLine(Fixture.Issuer.Issuer, "bob", "alice");
        Assert.NotNull(line);
        Assert.Contains($"add '{line}' to server.identity_map.configuration", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_MapWithoutMatchingRule_ReportsInvalidPrincipal()
    {
        Cluster.IdentityMapConfiguration = $"{Fixture.Issuer.Issuer} carol alice";

        var result = await DoctorAsync(Mint("alice"));

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains($"the value [alice] for the issuer {Fixture.Issuer.Issuer} is invalid", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("server.identity_map.configuration", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_ReservedUser_SaysUseARegularUser()
    {
        var result = await DoctorAsync(Mint("root"), "root");

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("JWT authentication: invalid identity", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("cannot use JWT auth to login to a reserved user root", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Log in as a regular SQL user", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_WrongAudience_NamesTheAudienceSetting()
    {
        var result = await DoctorAsync(Mint(configure: o => o.Audience = "other-cluster"));

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("token issued with an audience of [other-cluster]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("to server.jwt_authentication.audience", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_UserWithoutLogin_SuggestsAlterUser()
    {
        var result = await DoctorAsync(Mint("carol_nologin"), "carol_nologin");

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("carol_nologin does not have login privilege", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("ALTER USER carol_nologin WITH LOGIN", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_UserDoesNotExist_SuggestsCreateUser()
    {
        var result = await DoctorAsync(Mint("dave"), "dave");

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("password authentication failed for user dave", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("CREATE USER dave", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_EmailMappedThroughIdentityMap_IsAccepted()
    {
        Cluster.Claim = "email";
        Cluster.IdentityMapConfiguration = Fixture.Issuer.Issuer + @" /^(.*)@example\.com$ \1";

        var result = await DoctorAsync(Mint("svc-1", o => o.Claims["email"] = "alice@example.com"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Claim 'email' holds [alice@example.com]; accepted SQL users: [alice] (through the identity map)", result.Stdout, StringComparison.Ordinal);
    }
}
