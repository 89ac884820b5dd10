using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso;

/// <summary>Strict configuration binding for token-source options, for <see cref="IJwtSsoProvider"/> implementations.</summary>
public static class JwtSsoConfiguration
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
        try
        {
            section.Bind(options, b => b.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the unknown property or the key whose value did not convert, never the value itself.
            throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                null,
                $"The configuration section '{section.Path}' does not bind to {typeof(TOptions).Name}: {FirstLine(ex.Message)} Fix the key's spelling or value in appsettings.json (or the environment).",
                ex);
        }

        return options;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
