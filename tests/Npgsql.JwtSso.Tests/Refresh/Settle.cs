namespace Npgsql.JwtSso.Tests.Refresh;

internal static class Settle
{
    /// <summary>Awaits the cache's fetch in progress, if any, ignoring its outcome (callers check that themselves).</summary>
    public static async Task FetchAsync(this JwtTokenCache cache)
    {
        if (cache.Refresher.PendingFetch is { } fetch)
        {
            try
            {
                await fetch.WaitAsync(TestTime.HangGuard);
            }
            catch (JwtSsoException)
            {
            }
        }
    }
}
