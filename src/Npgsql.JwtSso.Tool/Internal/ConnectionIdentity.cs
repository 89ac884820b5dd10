using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>
/// The library settings that decide the SQL user and the transport rule for <c>url</c>: <c>--claim</c>,
/// <c>--identity-map</c>, <c>--allow-insecure-transport</c>, or the same keys of <c>--config</c>.
/// </summary>
internal sealed class ConnectionIdentity
{
    public Option<string?> Claim { get; } = new("--claim") { Description = "The principal claim the SQL user is derived from when the connection names none (the cluster's server.jwt_authentication.claim; default sub).", HelpName = "claim" };

    public Option<string[]> IdentityMapLines { get; } = new("--identity-map") { Description = "An identity-map line 'ISSUER PRINCIPAL SQLUSER', as in server.identity_map.configuration (repeat for more); used to derive the SQL user.", HelpName = "line" };

    public Option<bool> AllowInsecureTransport { get; } = new("--allow-insecure-transport") { Description = "Accept an sslmode below verify-full (development clusters only), as JwtSsoOptions.AllowInsecureTransport does; a warning is printed." };

    public void AddTo(Command command)
    {
        command.Options.Add(Claim);
        command.Options.Add(IdentityMapLines);
        command.Options.Add(AllowInsecureTransport);
    }

    /// <summary>The library options: those of <c>--config</c> when given, overridden by the command-line options.</summary>
    public JwtSsoOptions Options(ParseResult result, JwtSsoOptions? configured)
    {
        var options = new JwtSsoOptions
        {
            PrincipalClaim = configured?.PrincipalClaim ?? "sub",
            IdentityMap = configured?.IdentityMap,
            IdentityMapIgnoreCase = configured?.IdentityMapIgnoreCase ?? false,
            AllowInsecureTransport = configured?.AllowInsecureTransport ?? false,
        };
        if (result.GetValue(Claim) is { Length: > 0 } claim)
        {
            options.PrincipalClaim = claim;
        }

        if (result.GetValue(IdentityMapLines) is { Length: > 0 } lines)
        {
            options.IdentityMap = string.Join('\n', lines);
        }

        options.AllowInsecureTransport |= result.GetValue(AllowInsecureTransport);
        return options;
    }

    /// <summary>Applies the library's transport rule (the same function <c>UseJwtSso</c> calls); returns the warning to print, if any.</summary>
    public static string? CheckTransport(NpgsqlConnectionStringBuilder builder, JwtSsoOptions options, string optionName)
    {
        var logger = new WarningCollector();
        try
        {
            CockroachConnectionString.CheckTransport(builder, options.AllowInsecureTransport, logger);
        }
        catch (JwtSsoException e)
        {
            throw new ToolException($"{optionName}: {e.Message} (crdb-jwt: --allow-insecure-transport).", e);
        }

        return logger.Warning;
    }

    /// <summary>Derives or checks the SQL user exactly as <c>BuildJwtSsoAsync</c> does: claim → identity map → user.</summary>
    public static string ResolveUser(JwtToken token, string? username, JwtSsoOptions options, string sourceName)
    {
        IdentityMap map = IdentityMap.Empty;
        if (!string.IsNullOrWhiteSpace(options.IdentityMap) && !IdentityMap.TryParse(options.IdentityMap, options.IdentityMapIgnoreCase, out map!, out var error))
        {
            throw new ToolException($"--identity-map: {error}");
        }

        try
        {
            return CockroachJwtIdentity.ResolveUsername(token, username, options.PrincipalClaim, map, sourceName);
        }
        catch (JwtSsoException e)
        {
            throw new ToolException($"{e.Message} (crdb-jwt: give the user in the connection or with --user, or the mapping with --claim/--identity-map).", e);
        }
    }

    private sealed class WarningCollector : ILogger
    {
        public string? Warning { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                Warning = formatter(state, exception);
            }
        }
    }
}
