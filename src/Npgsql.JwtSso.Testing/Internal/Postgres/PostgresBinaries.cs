namespace Npgsql.JwtSso.Testing.Internal.Postgres;

/// <summary>Locates the PostgreSQL server binaries (initdb, pg_ctl).</summary>
internal static class PostgresBinaries
{
    internal const string BinDirectoryVariable = "JWTSSO_PG_BIN";

    internal static string Locate(string? configured)
    {
        var explicitDir = configured ?? Environment.GetEnvironmentVariable(BinDirectoryVariable);
        if (!string.IsNullOrEmpty(explicitDir))
        {
            return HasTools(explicitDir)
                ? explicitDir
                : throw new InvalidOperationException(
                    $"The PostgreSQL bin directory '{explicitDir}' (from {(configured is null ? BinDirectoryVariable : nameof(TestPostgresOptions.BinDirectory))}) does not contain initdb and pg_ctl. Point it at a PostgreSQL server installation's bin directory, for example /usr/lib/postgresql/15/bin.");
        }

        foreach (var dir in Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator) ?? [])
        {
            if (dir.Length > 0 && HasTools(dir))
            {
                return dir;
            }
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(x => HasTools(x.Dir))
                .OrderByDescending(x => x.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return newest.Dir;
            }
        }

        throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH, in /usr/lib/postgresql/*/bin or in " +
            $"{BinDirectoryVariable}. Install them (Debian/Ubuntu: apt-get install postgresql-15) or set {BinDirectoryVariable} to the bin directory.");
    }

    private static bool HasTools(string dir)
        => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));
}
