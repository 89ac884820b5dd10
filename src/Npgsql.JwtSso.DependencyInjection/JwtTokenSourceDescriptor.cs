using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso;

/// <summary>
/// Describes one kind of token source to the dependency-injection path: its name in configuration
/// (<c>"Source": "&lt;Name&gt;"</c>), its options type, how the options bind and validate, and how the source is
/// created from them. Every source, built-in or from a package, goes through the same path: named options per
/// instance, strict binding, validation when the host starts.
/// </summary>
/// <typeparam name="TOptions">The options type of the source.</typeparam>
/// <remarks>
/// A package that adds a source exposes one descriptor (for example <c>GcpTokenSource.Descriptor</c>), which
/// applications pass to <see cref="JwtSsoBuilderExtensions.AddTokenSource{TOptions}(IJwtSsoBuilder, JwtTokenSourceDescriptor{TOptions}, IConfigurationSection)"/>
/// and its overloads, or to <see cref="JwtSsoServiceCollectionExtensions.AddJwtSsoTokenSource{TOptions}(Microsoft.Extensions.DependencyInjection.IServiceCollection, JwtTokenSourceDescriptor{TOptions})"/>
/// so that configuration can name it.
/// </remarks>
public sealed class JwtTokenSourceDescriptor<[DynamicallyAccessedMembers(JwtTokenSourceDescriptor.OptionsMembers)] TOptions>
    where TOptions : class
{
    /// <summary>Initializes a new instance of the <see cref="JwtTokenSourceDescriptor{TOptions}"/> class.</summary>
    /// <param name="name">The source name used as the value of the <c>Source</c> key and as the name of its sub-section, for example <c>Gcp</c>.</param>
    /// <param name="bind">
    /// Binds the source's section onto the options, failing on any key that matches no setting. Write it as a lambda
    /// that names the options type, <c>(configuration, options) => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true)</c>,
    /// so that the configuration-binding source generator binds without reflection (trimming and native AOT).
    /// </param>
    /// <param name="validate">Returns every problem of the options (after every configure action and binding of the instance), each naming the setting and how to fix it; none when valid.</param>
    /// <param name="create">Creates the source from valid options and the clock, logging and HTTP shared by every source.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="bind"/>, <paramref name="validate"/> or <paramref name="create"/> is <see langword="null"/>.</exception>
    public JwtTokenSourceDescriptor(
        string name,
        Action<IConfiguration, TOptions> bind,
        Func<TOptions, IEnumerable<string>> validate,
        Func<TOptions, JwtTokenSourceContext, JwtTokenSource> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(validate);
        ArgumentNullException.ThrowIfNull(create);
        (Name, Bind, Validate, Create) = (name, bind, validate, create);
    }

    /// <summary>Gets the source name used in configuration (compared case-insensitively), for example <c>Gcp</c>.</summary>
    public string Name { get; }

    internal Action<IConfiguration, TOptions> Bind { get; }

    internal Func<TOptions, IEnumerable<string>> Validate { get; }

    internal Func<TOptions, JwtTokenSourceContext, JwtTokenSource> Create { get; }
}

/// <summary>Constants shared by the descriptors.</summary>
internal static class JwtTokenSourceDescriptor
{
    /// <summary>What the options factory and the strict binder need of an options type (kept when trimming).</summary>
    public const DynamicallyAccessedMemberTypes OptionsMembers = DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicProperties;
}
