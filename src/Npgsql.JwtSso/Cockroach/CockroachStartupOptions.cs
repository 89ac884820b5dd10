using System.Diagnostics.CodeAnalysis;
using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// CockroachDB's reading of the pgwire <c>options</c> startup parameter (<c>pgurl.ParseExtendedOptions</c>): white-space
/// separated, backslash escapes the next character, each option <c>--key=value</c>, <c>-ckey=value</c> or
/// <c>-c key=value</c>, keys with <c>-</c> read as <c>_</c> and compared case-insensitively; <c>crdb:jwt_auth_enabled</c>
/// takes a Go <c>strconv.ParseBool</c> value.
/// </summary>
public static class CockroachStartupOptions
{
    /// <summary>The option that asks for a JWT login: <c>--crdb:jwt_auth_enabled=true</c>.</summary>
    public const string JwtAuthOption = CrdbStartupOptions.JwtAuthOption;

    /// <summary>Parses the options into (normalised key, value) pairs in order.</summary>
    /// <param name="options">The <c>options</c> value (<see langword="null"/> or empty gives no pairs).</param>
    /// <param name="values">The pairs: keys lower-cased with <c>-</c> read as <c>_</c>.</param>
    /// <param name="error">The server's error (SQLSTATE 08P01) when the options are malformed.</param>
    /// <returns>Whether the server accepts the options.</returns>
    public static bool TryParse(string? options, [NotNullWhen(true)] out IReadOnlyList<KeyValuePair<string, string>>? values, [NotNullWhen(false)] out CockroachServerMessage? error)
    {
        var ok = CrdbStartupOptions.TryParse(options, out var list, out var internalError);
        values = list;
        error = internalError is null ? null : new CockroachServerMessage(internalError.SqlState, internalError.Message);
        return ok;
    }

    /// <summary>Reads the JWT flag the way the server does: the last value given wins.</summary>
    /// <param name="options">The <c>options</c> value.</param>
    /// <param name="enabled">The flag, or <see langword="null"/> when the options do not set it.</param>
    /// <param name="error">The server's error when the options are malformed (08P01) or the flag is not a Go boolean (22023).</param>
    /// <returns>Whether the server accepts the options.</returns>
    public static bool TryReadJwtFlag(string? options, out bool? enabled, [NotNullWhen(false)] out CockroachServerMessage? error)
    {
        var ok = CrdbStartupOptions.TryReadJwtFlag(options, out enabled, out var internalError);
        error = internalError is null ? null : new CockroachServerMessage(internalError.SqlState, internalError.Message);
        return ok;
    }
}
