namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>Fetches one token from a source, turning its failures into the tool's exit codes.</summary>
internal static class TokenFetcher
{
    public static async Task<JwtToken> FetchAsync(ProviderOptions options, System.CommandLine.ParseResult result, ToolContext context, CancellationToken cancellationToken)
    {
        var source = options.Create(result, context);
        try
        {
            return await source.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (JwtSsoException e) when (e.Kind is JwtSsoErrorKind.Configuration)
        {
            throw new ToolException(ExitCodes.Usage, $"{source.Name}: {e.Message}", e);
        }
        catch (JwtSsoException e)
        {
            throw new ToolException(ExitCodes.TokenUnavailable, $"{source.Name} could not provide a token: {e.Message}", e);
        }
        finally
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
}
