namespace Npgsql.JwtSso.Testing.Tests.Emulator;

/// <summary>JWKS auto-fetch against the local issuer (crdb-jwt-server §4): discovery, map form, no cache, opaque failures.</summary>
public sealed class AutoFetchTests : EmulatorTestBase
{
    private readonly LocalJwtIssuer _idp;

    public AutoFetchTests(KitFixture fixture)
        : base(fixture)
    {
        _idp = fixture.Issuer;
        _idp.ResetRequests();
        Settings.JwksAutoFetchEnabled = true;
        Settings.IssuersConfiguration = _idp.Issuer;
        Settings.Jwks = Jwks(fixture.Key2); // unrelated to the test_kid1 tokens: must be ignored
    }

    [Fact]
    public async Task Login_NonUrlIssuer_UnableToValidateWithoutDetail()
    {
        Settings.IssuersConfiguration = "issuer1";

        var ex = await RejectAsync("test_user1", Mint(iss: "issuer1"));

        AssertJwtError(ex, "unable to validate token", null);
        Assert.Equal("unable to fetch jwks: Get \"issuer1/.well-known/openid-configuration\": unsupported protocol scheme \"\"", Emulator.LastRejection!.LogDetail);
    }

    [Fact]
    public async Task Login_Discovery_VerifiesWithFetchedKeysIgnoringStaticSet()
    {
        Settings.LoginFlow = CockroachJwtLoginFlow.RequestTokenAfterUserChecks; // one validation per login (era C validates twice)
        Assert.Equal("test_user1", await LoginAsync("test_user1", MintFromIdp()));
        Assert.Equal("test_user1", await LoginAsync("test_user1", MintFromIdp()));

        // Released versions do not cache: every login fetches discovery and JWKS again.
        Assert.Equal(2, _idp.RequestCount(IssuerEndpointNames.Discovery));
        Assert.Equal(2, _idp.RequestCount(IssuerEndpointNames.Jwks));
    }

    [Fact]
    public async Task Login_IssuerWithTrailingSlash_SameDiscoveryUrl()
    {
        Settings.IssuersConfiguration = _idp.Issuer + "/";
        Settings.LoginFlow = CockroachJwtLoginFlow.RequestTokenAfterUserChecks;

        Assert.Equal("test_user1", await LoginAsync("test_user1", MintFromIdp(_idp.Issuer + "/")));
        Assert.Equal(1, _idp.RequestCount(IssuerEndpointNames.Discovery));
    }

    [Fact]
    public async Task Login_IssuerJwksMap_FetchesMappedUrlWithoutDiscovery()
    {
        Settings.IssuersConfiguration = $$$"""{"issuer_jwks_map":{"{{{_idp.Issuer}}}":"{{{_idp.Issuer}}}/jwks"}}""";
        Settings.LoginFlow = CockroachJwtLoginFlow.RequestTokenAfterUserChecks;

        Assert.Equal("test_user1", await LoginAsync("test_user1", MintFromIdp()));
        Assert.Equal(0, _idp.RequestCount(IssuerEndpointNames.Discovery));
        Assert.Equal(1, _idp.RequestCount(IssuerEndpointNames.Jwks));
    }

    [Fact]
    public async Task Login_TokenFirstFlow_FetchesForPreCheckAndForFullValidation()
    {
        Assert.Equal("test_user1", await LoginAsync("test_user1", MintFromIdp()));

        Assert.Equal(2, _idp.RequestCount(IssuerEndpointNames.Jwks));
    }

    [Fact]
    public async Task Login_UnlistedIssuer_NothingFetched()
    {
        AssertJwtError(await RejectAsync("test_user1", Mint(iss: "issuer1")), "invalid issuer", "token issued by issuer1");
        Assert.Equal(0, _idp.RequestCount(IssuerEndpointNames.Discovery));
    }

    [Fact]
    public async Task Login_JwksEndpointHangs_TimesOutAsUnableToValidate()
    {
        Settings.ClientTimeout = TimeSpan.FromMilliseconds(200);
        _idp.Faults.Set(IssuerEndpointNames.Jwks, IssuerFault.Hang());

        AssertJwtError(await RejectAsync("test_user1", MintFromIdp()), "unable to validate token", null);
        Assert.Contains("Client.Timeout exceeded while awaiting headers", Emulator.LastRejection!.LogDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_DiscoveryWithoutJwksUri_UnableToValidateAndLogsWhy()
    {
        _idp.Faults.Set(IssuerEndpointNames.Discovery, IssuerFault.ServerError(500));

        AssertJwtError(await RejectAsync("test_user1", MintFromIdp()), "unable to validate token", null);
        Assert.Equal("unable to fetch jwks: no JWKS URI found in OpenID configuration", Emulator.LastRejection!.LogDetail);
    }

    [Fact]
    public async Task Login_FetchedSetLacksKid_InvalidTokenNamesKid()
    {
        var token = MintFromIdp(configure: o => o.Header["kid"] = "elsewhere");

        AssertJwtError(await RejectAsync("test_user1", token), "invalid token", "unable to parse token: key provider 0 failed: failed to find key with key ID \"elsewhere\" in key set");
    }

    [Fact]
    public async Task Login_HttpsJwksWithoutCustomCa_UntrustedCertificateFails()
    {
        UseHttpsJwks();

        AssertJwtError(await RejectAsync("test_user1", MintFromIdp()), "unable to validate token", null);
        Assert.StartsWith("unable to fetch jwks: Get \"https://", Emulator.LastRejection!.LogDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_HttpsJwksWithWrongCustomCa_Fails()
    {
        UseHttpsJwks();
        await using var other = new CockroachJwtEmulator(Fixture.Postgres);
        Settings.Set("server.jwt_authentication.issuers.custom_ca", other.CertificatePem);

        AssertJwtError(await RejectAsync("test_user1", MintFromIdp()), "unable to validate token", null);
    }

    [Fact]
    public async Task Login_HttpsJwksWithRightCustomCa_Succeeds()
    {
        UseHttpsJwks();
        Settings.Set("server.jwt_authentication.issuers.custom_ca", _idp.CertificatePem);

        Assert.Equal("test_user1", await LoginAsync("test_user1", MintFromIdp()));
    }

    [Fact]
    public void Set_CustomCaWithoutCertificate_Rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => Settings.Set("server.jwt_authentication.issuers.custom_ca", "not a pem"));

        Assert.StartsWith("JWT authentication issuer custom CA certificate not valid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_Non2xxJwksWhen26_2Behaviour_LogsHttpRequestFailedWithStatus()
    {
        Settings.RejectNon2xxJwksResponses = true;
        _idp.Faults.Set(IssuerEndpointNames.Jwks, IssuerFault.OAuthError("boom", 403));

        AssertJwtError(await RejectAsync("test_user1", MintFromIdp()), "unable to validate token", null);
        Assert.StartsWith("JWT authentication: HTTP request failed: GET ", Emulator.LastRejection!.LogDetail, StringComparison.Ordinal);
        Assert.Contains(" returned 403 Forbidden: ", Emulator.LastRejection.LogDetail, StringComparison.Ordinal);
        Assert.Contains("boom", Emulator.LastRejection.LogDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_Non2xxJwksBefore26_2_BodyParsedAsJwks()
    {
        _idp.Faults.Set(IssuerEndpointNames.Jwks, IssuerFault.OAuthError("boom", 403));

        AssertJwtError(await RejectAsync("test_user1", MintFromIdp()), "unable to validate token", null);
        Assert.StartsWith("unable to fetch jwks: failed to ", Emulator.LastRejection!.LogDetail, StringComparison.Ordinal);
    }

    private void UseHttpsJwks()
        => Settings.IssuersConfiguration = $$$"""{"issuer_jwks_map":{"{{{_idp.Issuer}}}":"{{{_idp.HttpsUri}}}jwks"}}""";

    private string MintFromIdp(string? issuer = null, Action<JwtMintOptions>? configure = null)
        => Mint(iss: issuer ?? _idp.Issuer, configure: configure);
}
