using System.Text.RegularExpressions;

namespace Npgsql.JwtSso.Internal;

/// <summary>Makes text from outside (a command's standard error, an HTTP error body) safe to put into a message.</summary>
internal static partial class SecretScrubber
{
    internal const string Redacted = "[redacted]";

    /// <summary>
    /// Removes the given secrets and anything shaped like a credential — JWTs, <c>Authorization:</c> lines, <c>Bearer</c>
    /// and <c>Basic</c> credentials, <c>client_secret=…</c>/<c>"password": "…"</c> style values, Google access and refresh
    /// tokens, GitHub tokens, Entra client secrets, Okta API tokens — then collapses the text to one line and truncates it to
    /// <paramref name="maxLength"/> characters. Scrubbing happens before truncation, so no partial secret survives.
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

        // Line-based first (before the text is collapsed to one line), then key-value pairs, then bare credential shapes.
        text = AuthorizationLine().Replace(text, $"${{name}}{Redacted}");
        text = SchemeCredential().Replace(text, $"${{scheme}}{Redacted}");
        text = SecretJsonValue().Replace(text, $"${{key}}{Redacted}");
        text = SecretAssignment().Replace(text, $"${{key}}{Redacted}");
        text = SecretColonValue().Replace(text, $"${{key}}{Redacted}");
        text = SecretFlag().Replace(text, $"${{key}}{Redacted}");
        text = VendorToken().Replace(text, Redacted);
        text = JwtLike().Replace(text, Redacted);
        text = WhiteSpace().Replace(text, " ").Trim();
        return text.Length <= maxLength
            ? text
            : $"{text[..maxLength]}… ({text.Length - maxLength} more characters)";
    }

    // "Authorization: Bearer …", "Proxy-Authorization: Basic …", "Cookie: …": everything after the header name to the end of the line.
    [GeneratedRegex(@"(?<name>\b(?:Proxy-)?Authorization[""']?\s*[:=]\s*|\b(?:Set-)?Cookie\s*:\s*|\bX-Api-Key\s*:\s*)[^\r\n]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationLine();

    // "Bearer <token>", "Basic <base64>", Okta's "SSWS <api token>" wherever they stand.
    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic|SSWS)\s+)[A-Za-z0-9\-._~+/]+=*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SchemeCredential();

    // Secret-named keys with their values; the key stays, so the message still says what was there.
    private const string SecretName = @"[A-Za-z_\-]*(?:secret|password|passwd|pwd|token|assertion|api[_\-]?key|private[_\-]?key)";

    // client_secret=…, password=…, access_token=… (query strings, form bodies, command lines, logs).
    [GeneratedRegex(@"(?<key>(?<![A-Za-z0-9_])" + SecretName + @"\s*=\s*[""']?)[^\s""'&,;]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretAssignment();

    // "client_secret": "…", 'password': '…' (JSON, Python reprs); a quoted value may hold spaces.
    [GeneratedRegex(@"(?<key>[""']" + SecretName + @"[""']\s*:\s*)(?:""[^""\r\n]*""|'[^'\r\n]*'|[^\s,}\]]+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretJsonValue();

    // password: …, client_secret: … (YAML, "key: value" logs); only unmistakable names, so prose such as "token: expired" stays.
    [GeneratedRegex(@"(?<key>(?<![A-Za-z0-9_])(?:client[_\-]?secret|password|passwd|access[_\-]token|refresh[_\-]token|id[_\-]token|api[_\-]?key|private[_\-]key|client[_\-]assertion)\s*:\s*)[^\s""',;}]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretColonValue();

    // --client-secret …, --password …, -token … (a command line echoed on standard error).
    [GeneratedRegex(@"(?<key>(?<![A-Za-z0-9_\-])--?" + SecretName + @"\s+[""']?)[^\s""']+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretFlag();

    // Prefixed credentials: Google access (ya29.) and refresh (1//) tokens, GitHub tokens (ghp_, gho_, ghu_, ghs_, ghr_,
    // github_pat_), Entra client secrets (…8Q~…), Okta API tokens (00 + 40 characters are caught by SSWS or key=value).
    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])(?:ya29\.[A-Za-z0-9_\-.]+|1//0[A-Za-z0-9_\-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34})", RegexOptions.CultureInvariant)]
    private static partial Regex VendorToken();

    // A JWT's segments are long base64url runs; "eyJ" is base64 of '{"', the usual start of a JOSE header or a JSON payload.
    // The look-behind anchors matches at the start of a run, which keeps the scan linear on long runs (no ReDoS on stderr).
    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])(?:eyJ[A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]*)*|[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}(?:\.[A-Za-z0-9_\-]*)*)", RegexOptions.CultureInvariant)]
    private static partial Regex JwtLike();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhiteSpace();
}
