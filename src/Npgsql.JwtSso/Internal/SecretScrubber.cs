using System.Text.RegularExpressions;

namespace Npgsql.JwtSso.Internal;

/// <summary>Makes text from outside (a command's standard error, an HTTP error body) safe to put into a message.</summary>
internal static partial class SecretScrubber
{
    internal const string Redacted = "[redacted]";

    /// <summary>
    /// Removes anything that looks like a JWT (and the given secrets), collapses it to one line and truncates it to
    /// <paramref name="maxLength"/> characters. Scrubbing happens before truncation, so no partial token survives.
    /// </summary>
    internal static string Scrub(string? text, int maxLength, params ReadOnlySpan<string?> secrets)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret) && secret.Trim().Length > 0)
            {
                text = text.Replace(secret.Trim(), Redacted, StringComparison.Ordinal);
            }
        }

        text = JwtLike().Replace(text, Redacted);
        text = WhiteSpace().Replace(text, " ").Trim();
        return text.Length <= maxLength
            ? text
            : $"{text[..maxLength]}… ({text.Length - maxLength} more characters)";
    }

    // A JWT's segments are long base64url runs; "eyJ" is base64 of '{"', the usual start of a JOSE header or a JSON payload.
    // The look-behind anchors matches at the start of a run, which keeps the scan linear on long runs (no ReDoS on stderr).
    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])(?:eyJ[A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]*)*|[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}(?:\.[A-Za-z0-9_\-]*)*)", RegexOptions.CultureInvariant)]
    private static partial Regex JwtLike();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhiteSpace();
}
