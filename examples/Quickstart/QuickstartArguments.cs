using System.Globalization;

namespace Npgsql.JwtSso.Examples.Quickstart;

/// <summary>Command-line arguments of the quickstart.</summary>
internal sealed class QuickstartArguments
{
    public const string Usage = """
        Usage:
          dotnet run --project examples/Quickstart                       local demo (no account needed)
          dotnet run --project examples/Quickstart -- --connection <postgresql://user@host:26257/db?sslmode=verify-full&sslrootcert=ca.crt>
                 --source okta --issuer https://<org>.okta.com/oauth2/<server-id> --client-id <id> --client-secret <secret> --scope <scope>
                 [--identity-map "<issuer> <principal> <user>"] [--claim sub]
          other sources: client-credentials (same options), file --path <file>, env --variable <name>,
                           command --command "<shell command printing a JWT>", github-actions --audience <aud>
        Options: --seconds <n> (default 40), --interval-seconds <n> (default 2), --token-lifetime-seconds <n> (local demo, default 30)
        """;

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public bool Help { get; private set; }

    public string? Connection => Get("connection");

    public string Source => Get("source") ?? "okta";

    public string? IdentityMap => Get("identity-map");

    public string? Claim => Get("claim");

    public TimeSpan Duration => TimeSpan.FromSeconds(GetNumber("seconds", 40));

    public TimeSpan Interval => TimeSpan.FromSeconds(GetNumber("interval-seconds", 2));

    public TimeSpan TokenLifetime => TimeSpan.FromSeconds(GetNumber("token-lifetime-seconds", 30));

    public static QuickstartArguments Parse(string[] args)
    {
        var parsed = new QuickstartArguments();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                parsed.Help = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"unexpected argument '{arg}' (options are '--name value').");
            }

            parsed._values[arg[2..]] = args[++i];
        }

        return parsed;
    }

    public string Require(string name)
        => Get(name) ?? throw new ArgumentException($"--source {Source} needs --{name}.");

    private string? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

    private double GetNumber(string name, double fallback)
        => Get(name) is { } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : throw new ArgumentException($"--{name} must be a positive number.")
            : fallback;
}
