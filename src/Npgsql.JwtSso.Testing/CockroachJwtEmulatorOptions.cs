using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Testing;

/// <summary>Options for <see cref="CockroachJwtEmulator"/>.</summary>
public sealed class CockroachJwtEmulatorOptions
{
    /// <summary>
    /// Gets or sets a superuser connection string to the PostgreSQL server behind the emulator (for example
    /// <see cref="TestPostgres.ConnectionString"/>). Its host and port receive the spliced connections; that server must
    /// trust connections from 127.0.0.1. SQL users and their <c>LOGIN</c> privilege are read from its <c>pg_roles</c>.
    /// </summary>
    public string PostgresConnectionString { get; set; } = string.Empty;

    /// <summary>Gets or sets the TCP port on 127.0.0.1.</summary>
    /// <value>Default 0: a free port is picked.</value>
    public int Port { get; set; }

    /// <summary>Gets or sets a value indicating whether an SSLRequest is answered with TLS.</summary>
    /// <value>Default <see langword="true"/>; <see langword="false"/> answers <c>N</c> (use with <see cref="AcceptSqlWithoutTls"/>).</value>
    public bool TlsEnabled { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether plaintext SQL connections are accepted (a node started with
    /// <c>--accept-sql-without-tls</c>). Otherwise they fail with <c>node is running secure mode, SSL connection required</c> (08P01).
    /// </summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool AcceptSqlWithoutTls { get; set; }

    /// <summary>Gets or sets the server certificate (with private key); by default a self-signed one for 127.0.0.1 and localhost is generated.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Gets or sets the clock used for <c>exp</c>/<c>nbf</c>/<c>iat</c> checks.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the logger factory; the emulator never logs tokens.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Gets or sets the HTTP handler for JWKS auto-fetch (for example one trusting a test CA).</summary>
    /// <value>Default <see langword="null"/>: a plain <see cref="SocketsHttpHandler"/> that ignores proxies.</value>
    public HttpMessageHandler? JwksHttpHandler { get; set; }
}
