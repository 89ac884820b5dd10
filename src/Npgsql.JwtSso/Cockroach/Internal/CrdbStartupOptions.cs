using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Npgsql.JwtSso.Internal;

/// <summary>
/// CockroachDB's rules for the <c>options</c> startup parameter (<c>pgurl.ParseExtendedOptions</c>): white-space separated,
/// backslash escapes the next character, each option <c>--key=value</c>, <c>-ckey=value</c> or <c>-c key=value</c>,
/// keys with <c>-</c> read as <c>_</c> and compared case-insensitively; <c>crdb:jwt_auth_enabled</c> takes a Go
/// <c>strconv.ParseBool</c> value.
/// </summary>
internal static class CrdbStartupOptions
{
    public const string JwtAuthKey = "crdb:jwt_auth_enabled";
    public const string JwtAuthOption = "--crdb:jwt_auth_enabled=true";
    public const string ProtocolViolation = "08P01";
    public const string InvalidParameterValue = "22023";

    /// <summary>Splits on white space, honouring backslash escapes (Go <c>splitOptions</c>).</summary>
    public static List<string> Split(string options)
    {
        var result = new List<string>();
        var sb = new StringBuilder();
        var i = 0;
        while (i < options.Length)
        {
            sb.Clear();
            while (i < options.Length && IsSpace(options[i]))
            {
                i++;
            }

            if (i == options.Length)
            {
                break;
            }

            var lastWasEscape = false;
            for (; i < options.Length; i++)
            {
                var c = options[i];
                if (IsSpace(c) && !lastWasEscape)
                {
                    break;
                }

                if (!lastWasEscape && c == '\\')
                {
                    lastWasEscape = true;
                }
                else
                {
                    lastWasEscape = false;
                    sb.Append(c);
                }
            }

            result.Add(sb.ToString());
        }

        return result;
    }

    /// <summary>Parses the options into (normalised key, value) pairs in order, or returns the server's 08P01 error.</summary>
    public static bool TryParse(string? options, [NotNullWhen(true)] out List<KeyValuePair<string, string>>? values, [NotNullWhen(false)] out CrdbOptionsError? error)
    {
        values = [];
        error = null;
        var lastWasDashC = false;
        foreach (var opt in Split(options ?? string.Empty))
        {
            var prefix = opt.Length > 1 ? opt[..2] : string.Empty;
            if (opt == "-c")
            {
                lastWasDashC = true;
                continue;
            }

            if (lastWasDashC)
            {
                lastWasDashC = false;
                prefix = string.Empty;
            }
            else if (prefix is not ("--" or "-c"))
            {
                values = null;
                error = new CrdbOptionsError(ProtocolViolation, $"option {GoText.Quote(opt)} is invalid, must have prefix '-c' or '--'");
                return false;
            }

            var kv = opt.Split('=');
            if (kv.Length != 2)
            {
                values = null;
                error = new CrdbOptionsError(ProtocolViolation, $"option {GoText.Quote(opt)} is invalid, check '='");
                return false;
            }

            values.Add(new(NormalizeKey(kv[0][prefix.Length..]), kv[1]));
        }

        return true;
    }

    /// <summary>Normalises an option key: <c>-</c> becomes <c>_</c>, lower case (the server compares case-insensitively).</summary>
    public static string NormalizeKey(string key) => key.Replace('-', '_').ToLowerInvariant();

    /// <summary>Go's <c>strconv.ParseBool</c>.</summary>
    public static bool TryParseGoBool(string value, out bool result)
    {
        switch (value)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                result = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }

    /// <summary>
    /// Reads the JWT flag the way the server does: <see langword="null"/> when absent, otherwise the last value given.
    /// Returns <see langword="false"/> with the server's error (08P01 or 22023) when the options are malformed.
    /// </summary>
    public static bool TryReadJwtFlag(string? options, out bool? enabled, [NotNullWhen(false)] out CrdbOptionsError? error)
    {
        enabled = null;
        if (!TryParse(options, out var values, out error))
        {
            return false;
        }

        foreach (var (key, value) in values)
        {
            if (key != JwtAuthKey)
            {
                continue;
            }

            if (!TryParseGoBool(value, out var flag))
            {
                error = new CrdbOptionsError(InvalidParameterValue, $"{JwtAuthKey}: strconv.ParseBool: parsing {GoText.Quote(value)}: invalid syntax");
                return false;
            }

            enabled = flag;
        }

        return true;
    }

    /// <summary>
    /// Returns <paramref name="options"/> with the JWT flag turned on: unchanged when it already is (in any accepted
    /// spelling), otherwise with <see cref="JwtAuthOption"/> appended.
    /// </summary>
    /// <exception cref="JwtSsoException">The options are malformed or explicitly turn the flag off.</exception>
    public static string MergeJwtFlag(string? options)
    {
        if (!TryReadJwtFlag(options, out var enabled, out var error))
        {
            throw new JwtSsoException(JwtSsoErrorKind.Configuration, null,
                $"The connection string's Options value is not accepted by CockroachDB ({error.Message}, SQLSTATE {error.SqlState}). Write each option as '--key=value' or '-c key=value', separated by spaces.");
        }

        if (enabled == false)
        {
            throw new JwtSsoException(JwtSsoErrorKind.Configuration, null,
                $"The connection string's Options turn JWT authentication off ({JwtAuthKey}=false) but JWT single sign-on was configured. Remove that option; UseJwtSso adds '{JwtAuthOption}' itself.");
        }

        if (enabled == true)
        {
            return options!;
        }

        var trimmed = options?.Trim() ?? string.Empty;
        return trimmed.Length == 0 ? JwtAuthOption : trimmed + " " + JwtAuthOption;
    }

    // Go unicode.IsSpace on a single byte.
    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r' or '\u0085' or '\u00A0';
}
