using System.Globalization;

namespace Npgsql.JwtSso.Internal;

/// <summary>
/// The safety margin for short-lived tokens. A token must be refreshed before it becomes unusable, so the margin has to
/// stay below lifetime × (1 − RefreshAt). When the configured SafetyMargin does not, half of that window is used for
/// the token instead (half for the margin, half for retries), but never less than <see cref="MinAdaptedMargin"/>;
/// a token too short even for that fails with a message naming both settings and values that would work.
/// </summary>
internal static class ShortLivedTokens
{
    /// <summary>The smallest margin the engine picks on its own (a login's round trip plus a little clock skew).</summary>
    public static readonly TimeSpan MinAdaptedMargin = TimeSpan.FromSeconds(1);

    /// <summary>Gets the margin to use for a token with <paramref name="lifetime"/> left.</summary>
    /// <exception cref="JwtSsoException">The token lives too short for any margin of at least <see cref="MinAdaptedMargin"/>.</exception>
    public static TimeSpan Margin(TimeSpan lifetime, TimeSpan safetyMargin, double refreshAt, string sourceName)
    {
        var window = lifetime * (1 - refreshAt);
        if (safetyMargin < window)
        {
            return safetyMargin;
        }

        var adapted = window / 2;
        if (adapted >= MinAdaptedMargin)
        {
            return adapted;
        }

        var minLifetime = MinAdaptedMargin * 2 / (1 - refreshAt);
        throw new JwtSsoException(
            JwtSsoErrorKind.InvalidToken,
            sourceName,
            string.Create(
                CultureInfo.InvariantCulture,
                $"The token from source '{sourceName}' lives only {lifetime.TotalSeconds:0.###} s: too short for JwtSsoOptions.SafetyMargin ({safetyMargin.TotalSeconds:0.###} s) with JwtSsoOptions.RefreshAt ({refreshAt:0.###}), because SafetyMargin must stay below lifetime × (1 − RefreshAt) = {window.TotalSeconds:0.###} s. Set SafetyMargin below {window.TotalSeconds:0.###} s, or have the identity provider issue tokens living at least {minLifetime.TotalSeconds:0.###} s."));
    }
}
