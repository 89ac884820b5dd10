namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>A failure the tool reports as one line on stderr with a given exit code.</summary>
internal sealed class ToolException : Exception
{
    public ToolException()
    {
    }

    public ToolException(string message)
        : this(ExitCodes.Usage, message)
    {
    }

    public ToolException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Usage;
    }

    public ToolException(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; } = ExitCodes.Usage;
}
