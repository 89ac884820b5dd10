namespace Npgsql.JwtSso.Internal;

/// <summary>Turns the text a source obtained into a <see cref="JwtToken"/>, with an error that names the source.</summary>
internal static class SourceTokens
{
    /// <summary>Parses <paramref name="text"/>; a malformed token becomes <see cref="JwtSsoErrorKind.InvalidToken"/>.</summary>
    /// <param name="sourceName">The source's name, for the message.</param>
    /// <param name="text">The token text (never put into the message).</param>
    /// <param name="whatToCheck">One sentence telling the user what to check.</param>
    /// <param name="refreshOn">An optional refresh hint.</param>
    internal static JwtToken Parse(string sourceName, string text, string whatToCheck, DateTimeOffset? refreshOn = null)
    {
        try
        {
            return JwtToken.Parse(text, refreshOn);
        }
        catch (FormatException ex)
        {
            // The FormatException's message never contains the text, so it is safe to keep as the inner exception.
            throw new JwtSsoException(
                JwtSsoErrorKind.InvalidToken,
                sourceName,
                $"{sourceName} returned text that is not a JWT: {ex.Message.TrimEnd('.')}. {whatToCheck}",
                ex);
        }
    }
}
