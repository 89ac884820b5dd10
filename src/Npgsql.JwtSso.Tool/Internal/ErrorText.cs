using System.Security.Authentication;
using System.Text.RegularExpressions;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>Turns library and vendor messages into the tool's one-line errors: no retry promises, real TLS causes.</summary>
internal static partial class ErrorText
{
    /// <summary>One line: joined lines, no "will be retried" (a one-shot command does not retry), no double full stops.</summary>
    public static string OneLine(string message)
    {
        var lines = message.Split('\n').Select(l => Bullet().Replace(l.Trim(), string.Empty)).Where(l => l.Length > 0);
        var text = string.Join(' ', lines);
        text = RetryClause().Replace(text, string.Empty);
        text = DoubleStop().Replace(text, ".");
        text = Spaces().Replace(text, " ").Trim();
        return text;
    }

    /// <summary>The real TLS cause of a failure, when the exception tree holds a refused certificate.</summary>
    public static string? TlsCause(Exception exception, TlsTrust? trust)
    {
        if (!Walk(exception).Any(e => e is AuthenticationException))
        {
            return null;
        }

        return trust?.LastFailure is { } failure
            ? $"TLS: {failure}."
            : $"TLS: {OneLine(Walk(exception).OfType<AuthenticationException>().First().Message).TrimEnd('.')}. Give the CA that issued the server's certificate with --ca-file <ca.pem>.";
    }

    /// <summary>The message with the TLS cause put first when there is one.</summary>
    public static string Describe(string message, Exception exception, TlsTrust? trust)
        => TlsCause(exception, trust) is { } tls ? $"{tls} ({OneLine(FirstSentence(message))})" : OneLine(message);

    private static string FirstSentence(string message)
    {
        var line = OneLine(message);
        var stop = line.IndexOf(". ", StringComparison.Ordinal);
        return stop < 0 ? line.TrimEnd('.') : line[..stop];
    }

    private static IEnumerable<Exception> Walk(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : (IEnumerable<Exception>)(exception.InnerException is { } i ? [i] : []);
        foreach (var e in inner)
        {
            foreach (var nested in Walk(e))
            {
                yield return nested;
            }
        }
    }

    [GeneratedRegex(@"(\s*[;,]\s*|\s+and\s+|\s+)(the request |it )?(will be|is) retried( with backoff| later)?(?=[.;]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex RetryClause();

    [GeneratedRegex(@"^[-*•]\s+")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"\.(\s*\.)+")]
    private static partial Regex DoubleStop();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();
}
