namespace Npgsql.JwtSso.EndToEnd.Tests.Faults;

/// <summary>
/// Each provider, through <see cref="JwtTokenCache"/>, against each misbehaviour of its vendor endpoint: what the
/// caller sees (type, kind, message naming the source), that the failure is bounded by the configured timeout
/// (asserted as the outcome, never in milliseconds), how many IdP calls were made while backing off, and recovery once
/// the fault clears. The clock is fake and shared with the issuer: backoff, Retry-After and timeouts are advanced.
/// </summary>
public sealed class ProviderFaultTests : IClassFixture<FaultBed>
{
    private readonly FaultBed _bed;

    public ProviderFaultTests(FaultBed bed)
    {
        _bed = bed;
        bed.Reset();
    }

    public static TheoryData<string> Providers => new() { "generic", "gcp", "azure", "okta" };

    /// <summary>The providers whose vendor library keeps no state of its own on the real clock (see the Azure known-gap tests below).</summary>
    public static TheoryData<string> ProvidersWithoutVendorClock => new() { "generic", "gcp", "okta" };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ServerError_TransientSourceFailed_NextOpenAwaitsTheNextAttempt_RecoversAfterFaultClears(string provider)
    {
        await using var cache = _bed.CreateCache(provider);
        _bed.Issuer.Faults.Set(FaultBed.TokenEndpointName(provider), IssuerFault.ServerError(503));

        var e = await FailAsync(cache, JwtSsoErrorKind.SourceFailed);
        var calls = _bed.Calls(provider);
        _bed.Time.ForgetTimers();
        var waiting = cache.GetTokenAsync().AsTask(); // no usable token, transient failure: awaits the next attempt
        var nextAttempt = cache.GetStatus().NextRetryAt;

        Assert.True(e.IsTransient, e.Message);
        Assert.Contains("503", FullText(e), StringComparison.Ordinal);
        Assert.Equal(1, calls); // one attempt is one request: no vendor retry policy (Azure.Core's made 4) underneath the engine's backoff
        Assert.NotNull(nextAttempt);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(calls, _bed.Calls(provider)); // within the backoff the IdP is not called

        await AdvanceToNextAttemptAsync(cache);
        var again = await Assert.ThrowsAsync<JwtSsoException>(() => waiting.WaitAsync(FaultBed.HangGuard));

        Assert.Equal(calls + 1, _bed.Calls(provider));
        Assert.NotSame(e, again); // every caller gets its own exception around the one cause
        Assert.Equal(e.Message, again.Message);
        await RecoversAsync(cache, provider, calls + 1);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TooManyRequests_RetryAfterCarriedInTheException(string provider)
    {
        await using var cache = _bed.CreateCache(provider);
        var retryAfter = TimeSpan.FromMinutes(3);
        _bed.Issuer.Faults.Set(FaultBed.TokenEndpointName(provider), IssuerFault.TooManyRequests(retryAfter));

        var e = await FailAsync(cache, JwtSsoErrorKind.SourceFailed);

        Assert.True(e.IsTransient, e.Message);
        Assert.Equal(retryAfter, e.RetryAfter);
        Assert.Equal(1, _bed.Calls(provider));
    }

    /// <summary>
    /// With no usable token left, a long Retry-After does not lock the cache out: the next attempt comes at the no-token
    /// pace (the rate limit's interval, 10 s by default), so an app recovers within seconds of the IdP returning.
    /// </summary>
    [Theory]
    [MemberData(nameof(ProvidersWithoutVendorClock))]
    public async Task TooManyRequests_WithoutUsableToken_NextAttemptAtTheNoTokenPace(string provider)
    {
        await using var cache = _bed.CreateCache(provider);
        _bed.Issuer.Faults.Set(FaultBed.TokenEndpointName(provider), IssuerFault.TooManyRequests(TimeSpan.FromMinutes(3)));
        var started = _bed.Time.GetUtcNow();

        await FailAsync(cache, JwtSsoErrorKind.SourceFailed);
        _bed.Time.ForgetTimers();
        var waiting = cache.GetTokenAsync().AsTask();
        var nextAttempt = cache.GetStatus().NextRetryAt;

        Assert.NotNull(nextAttempt);
        Assert.InRange(nextAttempt.Value - started, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        _bed.Issuer.Faults.ClearAll();
        await AdvanceToNextAttemptAsync(cache);
        var token = await waiting.WaitAsync(FaultBed.HangGuard);

        Assert.True(token.ExpiresOn > _bed.Time.GetUtcNow());
        Assert.Equal(2, _bed.Calls(provider));
    }

    [Theory]
    [MemberData(nameof(ProvidersWithoutVendorClock))]
    public async Task TooManyRequests_RecoversOnceRetryAfterEnds(string provider)
    {
        await using var cache = _bed.CreateCache(provider);
        _bed.Issuer.Faults.Set(FaultBed.TokenEndpointName(provider), IssuerFault.TooManyRequests(TimeSpan.FromMinutes(3)));

        await FailAsync(cache, JwtSsoErrorKind.SourceFailed);

        await RecoversAsync(cache, provider, _bed.Calls(provider));
    }

    /// <summary>
    /// Known gap, test clocks only: MSAL remembers a 429's Retry-After itself, process-wide and on the real clock. Once
    /// the engine's backoff has ended on the fake clock, MSAL still answers from its throttling cache without calling
    /// Entra. In production both clocks are the real one and end together, so recovery then follows Retry-After.
    /// </summary>
    [Fact]
    public async Task Azure_TooManyRequests_MsalThrottlesOnTheRealClock_KnownGap()
    {
        await using var cache = _bed.CreateCache("azure");
        _bed.Issuer.Faults.Set(FaultBed.TokenEndpointName("azure"), IssuerFault.TooManyRequests(TimeSpan.FromMinutes(3)));
        await FailAsync(cache, JwtSsoErrorKind.SourceFailed);
        var calls = _bed.Calls("azure");

        _bed.Issuer.Faults.ClearAll();
        _bed.Time.Advance(TimeSpan.FromMinutes(6));
        var throttled = await FailAsync(cache, JwtSsoErrorKind.SourceFailed);

        Assert.True(throttled.IsTransient, throttled.Message);
        Assert.Contains("MsalThrottledServiceException", FullText(throttled), StringComparison.Ordinal);
        Assert.Equal(calls, _bed.Calls("azure"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Hang_FailsWithTimeoutAtSourceTimeout_RecoversAfterFaultClears(string provider)
    {
        await using var cache = _bed.CreateCache(provider);
        _bed.Issuer.Faults.Set(FaultBed.TokenEndpointName(provider), IssuerFault.Hang());

        var e = await FailAfterSourceTimeoutAsync(cache, provider);

        Assert.Equal(JwtSsoErrorKind.Timeout, e.Kind);
        Assert.True(e.IsTransient, e.Message);
        Assert.Contains("SourceTimeout", e.Message, StringComparison.Ordinal);
        await RecoversAsync(cache, provider, _bed.Calls(provider));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SlowBody_FailsWithTimeoutAtSourceTimeout(string provider)
    {
        await using var cache = _bed.CreateCache(provider);
        _bed.Issuer.Faults.Set(FaultBed.TokenEndpointName(provider), IssuerFault.SlowBody(TimeSpan.FromSeconds(5), chunkSize: 1));

        var e = await FailAfterSourceTimeoutAsync(cache, provider);

        Assert.Equal(JwtSsoErrorKind.Timeout, e.Kind);
        Assert.Equal(1, _bed.Calls(provider));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task GarbageJson_SourceFailedNamingTheSource_RecoversAfterFaultClears(string provider)
    {
        await using var cache = _bed.CreateCache(provider);
        _bed.Issuer.Faults.Set(FaultBed.TokenEndpointName(provider), IssuerFault.GarbageJson());

        var e = await FailAsync(cache, JwtSsoErrorKind.SourceFailed);

        Assert.Equal(1, _bed.Calls(provider));
        await RecoversAsync(cache, provider, _bed.Calls(provider));
        Assert.NotNull(e);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task NonJwtToken_InvalidToken(string provider)
    {
        await using var cache = _bed.CreateCache(provider);
        _bed.Issuer.Faults.Set(FaultBed.TokenEndpointName(provider), IssuerFault.NonJwtToken());

        var e = await FailAsync(cache, JwtSsoErrorKind.InvalidToken);

        Assert.DoesNotContain("opaque-", FullText(e), StringComparison.Ordinal); // the token text itself is never echoed
        Assert.Equal(1, _bed.Calls(provider));
    }

    [Theory]
    [MemberData(nameof(ProvidersWithoutVendorClock))]
    public async Task NonJwtToken_RecoversAfterFaultClears(string provider)
    {
        await using var cache = _bed.CreateCache(provider);
        _bed.Issuer.Faults.Set(FaultBed.TokenEndpointName(provider), IssuerFault.NonJwtToken());

        await FailAsync(cache, JwtSsoErrorKind.InvalidToken);

        await RecoversAsync(cache, provider, 1);
    }

    /// <summary>
    /// Known gap: MSAL caches the opaque token as a valid access token, so the Azure source keeps getting it from that
    /// cache (no new call to Entra) until MSAL's own expiry (the token's lifetime less 5 minutes, on the real clock);
    /// recovery needs that expiry or a new credential.
    /// </summary>
    [Fact]
    public async Task Azure_NonJwtToken_MsalServesItFromItsCacheUntilExpiry_KnownGap()
    {
        await using var cache = _bed.CreateCache("azure");
        _bed.Issuer.Faults.Set(FaultBed.TokenEndpointName("azure"), IssuerFault.NonJwtToken());
        await FailAsync(cache, JwtSsoErrorKind.InvalidToken);

        _bed.Issuer.Faults.ClearAll();
        _bed.Time.Advance(TimeSpan.FromMinutes(3));
        await FailAsync(cache, JwtSsoErrorKind.InvalidToken);

        Assert.Equal(1, _bed.Calls("azure"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ExpiredOnArrival_InvalidToken(string provider)
    {
        await using var cache = _bed.CreateCache(provider);
        _bed.Issuer.Faults.Set(FaultBed.TokenEndpointName(provider), IssuerFault.ExpiredToken());

        var e = await FailAsync(cache, JwtSsoErrorKind.InvalidToken);

        Assert.DoesNotContain("eyJ", FullText(e), StringComparison.Ordinal);
        Assert.Equal(1, _bed.Calls(provider));
        await RecoversAsync(cache, provider, 1);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ConnectionRefused_TransientSourceFailed(string provider)
    {
        await using var cache = _bed.CreateCache(provider, FaultEndpoint.Refused);

        var e = await FailAsync(cache, JwtSsoErrorKind.SourceFailed);

        Assert.True(e.IsTransient, e.Message);
        Assert.Contains("refused", FullText(e), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task UntrustedTlsCertificate_SourceFailed(string provider)
    {
        await using var cache = _bed.CreateCache(provider, FaultEndpoint.UntrustedTls);

        var e = await FailAsync(cache, JwtSsoErrorKind.SourceFailed);

        Assert.Matches("(?i)ssl|tls|certificate", FullText(e));
        Assert.Equal(0, _bed.Calls(provider)); // the handshake failed: no request reached the endpoint
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CallerCancels_OperationCanceled_CacheStillServesAfterFaultClears(string provider)
    {
        await using var cache = _bed.CreateCache(provider);
        _bed.Issuer.Faults.Set(FaultBed.TokenEndpointName(provider), IssuerFault.Hang());
        using var cts = new CancellationTokenSource();

        var pending = cache.GetTokenAsync(cts.Token).AsTask();
        await WaitForCallAsync(provider);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(FaultBed.HangGuard));
        _bed.Time.Advance(FaultBed.SourceTimeout); // the abandoned fetch ends at its own timeout
        await RecoversAsync(cache, provider, _bed.Calls(provider));
    }

    /// <summary>Generic sources: a token without <c>exp</c> is served for AssumedLifetime, and refreshed within it.</summary>
    [Fact]
    public async Task NoExpiryClaim_ServedForAssumedLifetime()
    {
        var jwt = _bed.Issuer.MintToken(new JwtMintOptions { Subject = "faults", Audience = FaultBed.Audience, Defects = JwtDefects.MissingExpiry });
        var options = new JwtSsoOptions { AssumedLifetime = TimeSpan.FromMinutes(20) };
        await using var cache = new JwtTokenCache(new StaticTokenSource(jwt), options, _bed.Time);

        var token = await cache.GetTokenAsync().AsTask().WaitAsync(FaultBed.HangGuard);
        var status = cache.GetStatus();

        Assert.Null(token.ExpiresOn);
        Assert.Equal(_bed.Time.GetUtcNow() + options.AssumedLifetime, status.ExpiresOn);
        Assert.True(status.RefreshAt < status.ExpiresOn);
    }

    /// <summary>Waits until the engine waits for its next attempt (call <see cref="TestTime.ForgetTimers"/> before the open that starts it), then advances the clock to it.</summary>
    private async Task AdvanceToNextAttemptAsync(JwtTokenCache cache)
    {
        var next = cache.GetStatus().NextRetryAt;
        Assert.NotNull(next);
        var due = next.Value - _bed.Time.GetUtcNow();
        await _bed.Time.WaitForTimerAsync(d => d == due);
        _bed.Time.Advance(due);
    }

    private static string FullText(Exception e) => e.ToString();

    private static async Task<JwtSsoException> FailAsync(JwtTokenCache cache, JwtSsoErrorKind kind)
    {
        var e = await Assert.ThrowsAsync<JwtSsoException>(() => cache.GetTokenAsync().AsTask().WaitAsync(FaultBed.HangGuard));
        Assert.True(kind == e.Kind, $"expected {kind}, got {e.Kind}: {e.Message}");
        Assert.Equal(cache.Source.Name, e.SourceName);
        Assert.Contains(cache.Source.Name, e.Message, StringComparison.Ordinal);
        return e;
    }

    private async Task<JwtSsoException> FailAfterSourceTimeoutAsync(JwtTokenCache cache, string provider)
    {
        var pending = cache.GetTokenAsync().AsTask();
        await WaitForCallAsync(provider);
        Assert.False(pending.IsCompleted);
        _bed.Time.Advance(FaultBed.SourceTimeout);
        var e = await Assert.ThrowsAsync<JwtSsoException>(() => pending.WaitAsync(FaultBed.HangGuard));
        Assert.Contains(cache.Source.Name, e.Message, StringComparison.Ordinal);
        return e;
    }

    private async Task WaitForCallAsync(string provider)
    {
        using var guard = new CancellationTokenSource(FaultBed.HangGuard);
        while (_bed.Calls(provider) == 0)
        {
            await Task.Delay(10, guard.Token);
        }
    }

    /// <summary>Clears the fault, lets the backoff run out on the fake clock, and expects a usable token from at least one more call.</summary>
    private async Task RecoversAsync(JwtTokenCache cache, string provider, int callsBefore)
    {
        _bed.Issuer.Faults.ClearAll();
        _bed.Time.Advance(TimeSpan.FromMinutes(3));
        var token = await cache.GetTokenAsync().AsTask().WaitAsync(FaultBed.HangGuard);

        Assert.True(token.ExpiresOn > _bed.Time.GetUtcNow());
        Assert.True(cache.GetStatus().HasUsableToken);
        Assert.True(_bed.Calls(provider) > callsBefore);
    }
}
