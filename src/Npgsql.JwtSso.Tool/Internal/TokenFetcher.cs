namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>Fetches one token from a source, turning its failures into the tool's exit codes and one-line errors.</summary>
internal static class TokenFetcher
{
    public static async Task<JwtToken> FetchAsync(SourceOptions options, System.CommandLine.ParseResult result, ToolContext context, CancellationToken cancellationToken)
    {
        var source = options.Create(result, context);
        try
        {
            return await FetchAsync(source, context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync(source).ConfigureAwait(false);
        }
    }

    /// <summary>Fetches one token from an already created source (not disposed here).</summary>
    public static async Task<JwtToken> FetchAsync(JwtTokenSource source, ToolContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await source.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (JwtSsoException e) when (e.Kind is JwtSsoErrorKind.Configuration && ErrorText.TlsCause(e, context.Trust) is null)
        {
            throw new ToolException(ExitCodes.Usage, $"{source.Name}: {ErrorText.OneLine(e.Message)}", e);
        }
        catch (JwtSsoException e)
        {
            throw new ToolException(ExitCodes.TokenUnavailable, $"{source.Name} could not provide a token: {ErrorText.Describe(e.Message, e, context.Trust)}", e);
        }
    }

    public static async ValueTask DisposeAsync(JwtTokenSource source)
    {
        switch (source)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
