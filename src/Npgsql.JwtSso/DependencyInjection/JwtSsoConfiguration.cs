using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso;

/// <summary>Strict configuration binding for token-source options, for <see cref="IJwtSsoProvider"/> implementations.</summary>
public static partial class JwtSsoConfiguration
{
    /// <summary>
    /// Binds <paramref name="section"/> onto <paramref name="options"/>, rejecting a missing or empty section and any key
    /// that matches no property (a misspelt key fails instead of being silently ignored).
    /// </summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="section">The section to bind.</param>
    /// <param name="options">The options to fill.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The section is missing or empty, has an unknown key, or a value cannot be converted (<see cref="JwtSsoErrorKind.Configuration"/>); the message names the key.</exception>
    public static TOptions Bind<TOptions>(IConfigurationSection section, TOptions options)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        if (!section.GetChildren().Any())
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                null,
                $"The configuration section '{section.Path}' is missing or empty; it must hold the {typeof(TOptions).Name} settings.");
        }

        BindIfPresent(section, options);
        return options;
    }

    /// <summary>Binds like <see cref="Bind{TOptions}"/> but accepts a missing section (the options keep their defaults).</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="section">The section to bind.</param>
    /// <param name="options">The options to fill.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The section has an unknown key or a value cannot be converted; the message names the key.</exception>
    public static TOptions BindIfPresent<TOptions>(IConfigurationSection section, TOptions options)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        BindCore(section, options, errorOnUnknownKeys: true);
        return options;
    }

    internal static void BindCore<TOptions>(IConfigurationSection section, TOptions options, bool errorOnUnknownKeys)
        where TOptions : class
    {
        try
        {
            section.Bind(options, b => b.ErrorOnUnknownConfiguration = errorOnUnknownKeys);
        }
        catch (InvalidOperationException ex)
        {
            // The binder's conversion message (and its inner FormatException) quote the value, which may be a secret:
            // rebuild the message from the key and the target type only, and drop the inner exception.
            var conversion = ConversionFailure().Match(ex.Message);
            var what = conversion.Success
                ? $"the value at '{conversion.Groups["path"].Value}' cannot be converted to {conversion.Groups["type"].Value}"
                : FirstLine(ex.Message);
            throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                null,
                $"The configuration section '{section.Path}' does not bind to {typeof(TOptions).Name}: {what}. Fix the key's spelling or value in appsettings.json (or the environment).",
                conversion.Success ? null : ex);
        }
    }

    [GeneratedRegex("at '(?<path>[^']*)' to type '(?<type>[^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex ConversionFailure();

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }
}
