namespace Npgsql.JwtSso;

/// <summary>How the refresh engine renews tokens before they expire.</summary>
public enum JwtSsoRefreshMode
{
    /// <summary>A timer refreshes the token in the background at its refresh point; opens never wait. The default.</summary>
    Background,

    /// <summary>
    /// No timer: the first open after the refresh point starts the refresh (and still gets the current token while it runs).
    /// For CPU-throttled hosts (Cloud Run, Functions, scale-to-zero containers) where background work is starved.
    /// </summary>
    Lazy,
}
