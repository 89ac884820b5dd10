using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso;

/// <summary>
/// Describes one kind of token source to the dependency-injection path: its name in configuration
/// (<c>"Provider": "&lt;Name&gt;"</c>), its options type, how the options bind and validate, and how the source is
/// created from them. Every source, built-in or from a package, goes through the same path: named options per
/// instance, strict binding, validation when the host starts.
/// </summary>
/// <typeparam name="TOptions">The options type of the source.</typeparam>
/// <remarks>
/// A package that adds a source derives one internal descriptor and exposes one-line extension methods on
/// <see cref="IJwtSsoBuilder"/> that call <see cref="JwtSsoBuilderExtensions.AddTokenSource{TOptions}(IJwtSsoBuilder, JwtTokenSourceDescriptor{TOptions}, Action{TOptions})"/>
/// and its overloads.
/// </remarks>
public abstract class JwtTokenSourceDescriptor<[DynamicallyAccessedMembers(JwtTokenSourceDescriptor.OptionsMembers)] TOptions>
    where TOptions : class
{
    /// <summary>Initializes a new instance of the <see cref="JwtTokenSourceDescriptor{TOptions}"/> class.</summary>
    /// <param name="name">The source name used as the value of the <c>Provider</c> key and as the name of its sub-section, for example <c>Gcp</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    protected JwtTokenSourceDescriptor(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>Gets the source name used in configuration (compared case-insensitively), for example <c>Gcp</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// Binds <paramref name="configuration"/> onto <paramref name="options"/>, failing on any key that matches no
    /// setting. Implement it with a call that names the options type, such as
    /// <c>configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true)</c>, so that the configuration-binding
    /// source generator binds without reflection (trimming and native AOT).
    /// </summary>
    /// <param name="configuration">The source's section.</param>
    /// <param name="options">The options to fill.</param>
    protected internal abstract void Bind(IConfiguration configuration, TOptions options);

    /// <summary>Checks the options and returns every problem, each naming the setting and how to fix it; none when valid.</summary>
    /// <param name="options">The options, after every configure action and binding of the instance.</param>
    /// <returns>The problems.</returns>
    protected internal abstract IEnumerable<string> Validate(TOptions options);

    /// <summary>Creates the source from valid options.</summary>
    /// <param name="options">The options of the instance.</param>
    /// <param name="context">The clock, logging and HTTP shared by every source.</param>
    /// <returns>The token source.</returns>
    protected internal abstract JwtTokenSource Create(TOptions options, JwtTokenSourceContext context);
}

/// <summary>Constants shared by the descriptors.</summary>
internal static class JwtTokenSourceDescriptor
{
    /// <summary>What the options factory and the strict binder need of an options type (kept when trimming).</summary>
    public const DynamicallyAccessedMemberTypes OptionsMembers = DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicProperties;
}
