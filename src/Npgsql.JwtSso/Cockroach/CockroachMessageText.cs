using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>The Go formatting CockroachDB uses in its messages, so text built from it compares equal to the server's.</summary>
public static class CockroachMessageText
{
    /// <summary>Go's <c>%q</c> of a string: double-quoted, with Go escapes for quotes, backslashes and non-printable characters.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The quoted text.</returns>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return GoText.Quote(value);
    }

    /// <summary>Go's <c>%s</c> of a string slice: <c>[a b c]</c> (no quotes).</summary>
    /// <param name="values">The values.</param>
    /// <returns>The formatted list.</returns>
    public static string List(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return GoText.List(values);
    }
}
