using Npgsql.JwtSso.Tool.Internal;

namespace Npgsql.JwtSso.Tool;

/// <summary>Entry point of <c>crdb-jwt</c>.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await RunAsync(args, Console.Out, Console.Error, cancel.Token).ConfigureAwait(false);
    }

    /// <summary>Runs one command line in-process and returns its exit code (see <see cref="ExitCodes"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
        => RunAsync(args, stdout, stderr, new ToolContext(), cancellationToken);

    /// <summary>Runs one command line with the given environment (clock, HTTP, cluster-settings reader).</summary>
    internal static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, ToolContext context, CancellationToken cancellationToken)
        => CommandLine.RunAsync(args, stdout, stderr, context, cancellationToken);
}
