using System.Reflection;
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
        // The binder silently skips (or, for a null string, fails without naming the key) a list given for a single value.
        if (ListWhereValueExpected<TOptions>(section) is { } misplaced)
        {
            throw NotBound<TOptions>(section, misplaced, null);
        }

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
            throw NotBound<TOptions>(section, what, conversion.Success ? null : ex);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is ArgumentException refused)
        {
            throw Refused<TOptions>(section, refused);
        }
        catch (ArgumentException refused)
        {
            throw Refused<TOptions>(section, refused);
        }
    }

    // A property setter refused the value (a range check): its message names the setting and the rule.
    private static JwtSsoException Refused<TOptions>(IConfigurationSection section, ArgumentException refused)
    {
        var message = refused.ParamName is { } param ? refused.Message.Replace($" (Parameter '{param}')", string.Empty, StringComparison.Ordinal) : refused.Message;
        var key = refused.ParamName is { } name ? $"'{ConfigurationPath.Combine(section.Path, name)}': " : string.Empty;
        return NotBound<TOptions>(section, key + FirstLine(message).TrimEnd('.'), refused);
    }

    private static JwtSsoException NotBound<TOptions>(IConfigurationSection section, string what, Exception? inner)
        => new(
            JwtSsoErrorKind.Configuration,
            null,
            $"The configuration section '{section.Path}' does not bind to {typeof(TOptions).Name}: {what}. Fix the key's spelling or value in appsettings.json (or the environment).",
            inner);

    // A setting that takes one value given as a list or a section (a JSON array or object): the key, or null.
    private static string? ListWhereValueExpected<TOptions>(IConfigurationSection section)
    {
        foreach (var property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var child = section.GetSection(property.Name);
            if (property.CanWrite && TakesOneValue(type) && child.Value is null && child.GetChildren().Any())
            {
                return $"'{child.Path}' is a list or a section, but {typeof(TOptions).Name}.{property.Name} takes a single {type.Name} value";
            }
        }

        return null;
    }

    private static bool TakesOneValue(Type type)
        => type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Uri) || type == typeof(Guid);

    [GeneratedRegex("at '(?<path>[^']*)' to type '(?<type>[^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex ConversionFailure();

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }
}
