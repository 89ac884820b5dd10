using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>A descriptor made available to every instance (by code or by the <c>Source</c> key), without its options type.</summary>
internal abstract class SourceRegistration(string name)
{
    public string Name { get; } = name;

    /// <summary>Creates the source of <paramref name="instance"/> from its named options.</summary>
    public abstract JwtTokenSource Create(IServiceProvider services, string instance);

    /// <summary>Binds and validates the named options of <paramref name="instance"/> (throws on a bad key or setting).</summary>
    public abstract void Validate(IServiceProvider services, string instance);

    public abstract bool HasOptionsType(Type type);
}

/// <summary>A descriptor made available to every instance.</summary>
internal sealed class SourceRegistration<[DynamicallyAccessedMembers(JwtTokenSourceDescriptor.OptionsMembers)] TOptions>(JwtTokenSourceDescriptor<TOptions> descriptor)
    : SourceRegistration(descriptor.Name)
    where TOptions : class
{
    public JwtTokenSourceDescriptor<TOptions> Descriptor { get; } = descriptor;

    public override JwtTokenSource Create(IServiceProvider services, string instance)
        => Descriptor.Create(Options(services, instance), CreateContext(services, instance));

    public override void Validate(IServiceProvider services, string instance) => Options(services, instance);

    public override bool HasOptionsType(Type type) => type == typeof(TOptions);

    private static TOptions Options(IServiceProvider services, string instance)
        => services.GetRequiredService<IOptionsMonitor<TOptions>>().Get(instance);

    private static JwtTokenSourceContext CreateContext(IServiceProvider services, string instance)
        => new(
            instance,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            () => services.GetService<IHttpClientFactory>()?.CreateClient(JwtTokenSourceContext.HttpClientName) ?? SharedHttpClient.Instance);
}
