namespace Npgsql.JwtSso.Testing;

/// <summary>Options for <see cref="TestPostgres"/>.</summary>
public sealed class TestPostgresOptions
{
    /// <summary>
    /// Gets or sets the directory holding <c>initdb</c> and <c>pg_ctl</c>.
    /// </summary>
    /// <value>Default <see langword="null"/>: the <c>JWTSSO_PG_BIN</c> environment variable, then <c>PATH</c>, then the newest <c>/usr/lib/postgresql/*/bin</c>.</value>
    public string? BinDirectory { get; set; }

    /// <summary>Gets or sets the OS account that runs PostgreSQL when the test process runs as root (initdb refuses root).</summary>
    /// <value>Default <c>postgres</c>; created as a system account when missing.</value>
    public string OsUserWhenRoot { get; set; } = "postgres";

    /// <summary>Gets or sets the server's <c>max_connections</c>.</summary>
    /// <value>Default 300.</value>
    public int MaxConnections { get; set; } = 300;
}
