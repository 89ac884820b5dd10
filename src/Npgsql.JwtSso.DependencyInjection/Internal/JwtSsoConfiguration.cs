using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>
/// Strict configuration binding: a misspelt key, a list where one value belongs or an unconvertible value fails with
/// a message naming the key (never the value, which may be a secret).
/// </summary>
internal static partial class JwtSsoConfiguration
{
    /// <summary>Binds with the options type's own (source-generated) binding call, translating its failures.</summary>
    /// <exception cref="JwtSsoException">A key is unknown or a value cannot be converted; the message names the key.</exception>
    public static TOptions Bind<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(
        IConfigurationSection section, TOptions options, Action<IConfiguration, TOptions> bind)
        where TOptions : class
    {
        Translate(section, options, bind);
        return options;
    }

    /// <summary>Binds like <see cref="Bind{TOptions}"/> but accepts a missing section (the options keep their defaults).</summary>
    public static TOptions BindIfPresent<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(IConfigurationSection section, TOptions options)
        where TOptions : class
    {
        BindCore(section, options, errorOnUnknownKeys: true);
        return options;
    }

    internal static void BindCore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(IConfigurationSection section, TOptions options, bool errorOnUnknownKeys)
        where TOptions : class
        => Translate(section, options, (c, o) => BindInstanceOptions(c, o, errorOnUnknownKeys));

    // One call site per options type, so the configuration-binding source generator binds them without reflection.
    private static void BindInstanceOptions(IConfiguration configuration, object options, bool errorOnUnknownKeys)
    {
        switch (options)
        {
            case JwtTokenCacheOptions o:
                configuration.Bind(o, b => b.ErrorOnUnknownConfiguration = errorOnUnknownKeys);
                break;
            case JwtSsoConnectionOptions o:
                configuration.Bind(o, b => b.ErrorOnUnknownConfiguration = errorOnUnknownKeys);
                break;
            case JwtSsoStartupOptions o:
                configuration.Bind(o, b => b.ErrorOnUnknownConfiguration = errorOnUnknownKeys);
                break;
            default:
                throw new NotSupportedException($"{options.GetType().Name} has no binding call site; add one here.");
        }
    }

    private static void Translate<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(
        IConfigurationSection section, TOptions options, Action<IConfiguration, TOptions> bind)
        where TOptions : class
    {
        // The binder silently skips (or, for a null string, fails without naming the key) a list given for a single value.
        if (ListWhereValueExpected<TOptions>(section) is { } misplaced)
        {
            throw NotBound<TOptions>(section, misplaced, null);
        }

        try
        {
            bind(section, options);
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
    private static string? ListWhereValueExpected<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(IConfigurationSection section)
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
