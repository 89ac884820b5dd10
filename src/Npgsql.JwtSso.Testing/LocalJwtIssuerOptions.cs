using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Testing;

/// <summary>
/// Settings of a <see cref="LocalJwtIssuer"/>. Partial so that vendor-shaped endpoints can add their own settings.
/// </summary>
public sealed partial class LocalJwtIssuerOptions
{
    /// <summary>Gets or sets the clock used for <c>iat</c>/<c>exp</c> of minted tokens and for expiry fields of responses.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>. A <c>FakeTimeProvider</c> works.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the default <c>iss</c> claim and the discovery document's <c>issuer</c>.</summary>
    /// <value>The default value is <see langword="null"/>: the http base address, e.g. <c>http://127.0.0.1:41234</c>.</value>
    public string? Issuer { get; set; }

    /// <summary>Gets or sets the <c>sub</c> of tokens minted without an explicit subject.</summary>
    /// <value>The default value is <c>test-user</c>.</value>
    public string DefaultSubject { get; set; } = "test-user";

    /// <summary>Gets or sets the <c>aud</c> of tokens minted without an explicit audience.</summary>
    /// <value>The default value is <c>npgsql-jwtsso-test</c>.</value>
    public string DefaultAudience { get; set; } = "npgsql-jwtsso-test";

    /// <summary>Gets or sets the lifetime of tokens minted without an explicit lifetime, including those the endpoints serve.</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the http port on 127.0.0.1.</summary>
    /// <value>The default value is 0: a free port picked by the OS.</value>
    public int HttpPort { get; set; }

    /// <summary>Gets or sets the https port on 127.0.0.1.</summary>
    /// <value>The default value is 0: a free port picked by the OS.</value>
    public int HttpsPort { get; set; }

    /// <summary>
    /// Gets or sets where the issuer logs (requests served and faults applied; never token text). ASP.NET Core and
    /// Kestrel categories are filtered to <see cref="LogLevel.Warning"/> and above.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no logging at all.</value>
    public ILoggerFactory? LoggerFactory { get; set; }
}
