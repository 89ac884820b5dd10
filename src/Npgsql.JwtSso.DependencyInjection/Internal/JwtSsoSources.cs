using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>
/// The one registration path of every token source: the descriptor made available to configuration, the instance's
/// choice recorded once (a second call for the same source composes, another source fails), named options, strict
/// binding, validation and ValidateOnStart.
/// </summary>
internal static class JwtSsoSources
{
    /// <summary>Uses the descriptor's source for the builder's instance; <paramref name="configure"/> adds to its named options.</summary>
    public static IJwtSsoBuilder Use<[DynamicallyAccessedMembers(JwtTokenSourceDescriptor.OptionsMembers)] TOptions>(
        IJwtSsoBuilder builder,
        JwtTokenSourceDescriptor<TOptions> descriptor,
        Action<OptionsBuilder<TOptions>> configure)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(descriptor);
        Register(builder.Services, descriptor);
        Choose(builder, new SourceChoice(builder.Name, descriptor.Name, null), null);
        configure(builder.Services.AddOptions<TOptions>(builder.Name));
        return builder;
    }

    /// <summary>Makes the descriptor's source available to every instance (by code and by the <c>Source</c> key); idempotent.</summary>
    /// <exception cref="InvalidOperationException">Another descriptor with the same name is registered.</exception>
    public static void Register<[DynamicallyAccessedMembers(JwtTokenSourceDescriptor.OptionsMembers)] TOptions>(IServiceCollection services, JwtTokenSourceDescriptor<TOptions> descriptor)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(descriptor);
        var existing = services.Where(d => d.ServiceType == typeof(SourceRegistration)).Select(d => d.ImplementationInstance).OfType<SourceRegistration>()
            .FirstOrDefault(r => string.Equals(r.Name, descriptor.Name, StringComparison.OrdinalIgnoreCase));
        if (existing is not null)
        {
            if (existing.HasOptionsType(typeof(TOptions)))
            {
                return;
            }

            throw new InvalidOperationException($"Two token sources are named '{descriptor.Name}' (with different options types); give the new one another name.");
        }

        services.AddSingleton<SourceRegistration>(new SourceRegistration<TOptions>(descriptor));
        services.AddSingleton(sp => new DescriptorOptionsSetup<TOptions>(descriptor, sp.GetServices<SourceChoice>()));
        services.AddSingleton<IConfigureOptions<TOptions>>(sp => sp.GetRequiredService<DescriptorOptionsSetup<TOptions>>());
        services.AddSingleton<IValidateOptions<TOptions>>(sp => sp.GetRequiredService<DescriptorOptionsSetup<TOptions>>());
    }

    /// <summary>Uses the source named by the <c>Source</c> key of <paramref name="section"/>, resolved when the host starts.</summary>
    public static void UseConfigured(IJwtSsoBuilder builder, IConfigurationSection section, string source)
        => Choose(builder, new SourceChoice(builder.Name, source, section), null);

    /// <summary>Uses a source created by a factory (no descriptor, no options): one per instance.</summary>
    public static void UseFactory(IJwtSsoBuilder builder, Func<IServiceProvider, JwtTokenSource> factory)
        => Choose(builder, new SourceChoice(builder.Name, null, null), factory);

    public static SourceRegistration? Find(IServiceProvider services, string source)
        => services.GetServices<SourceRegistration>().FirstOrDefault(r => string.Equals(r.Name, source, StringComparison.OrdinalIgnoreCase));

    public static string NotRegistered(IServiceProvider services, SourceChoice choice)
        => $"{choice.Origin} is '{choice.Source}', which is not a registered token source. Registered: {string.Join(", ", services.GetServices<SourceRegistration>().Select(r => r.Name))}. "
            + "A source from a package is registered with its descriptor (for example services.AddJwtSsoTokenSource(GcpTokenSource.Descriptor) from Npgsql.JwtSso.Gcp) or by using it in code (builder.AddGcp(…)).";

    private static void Choose(IJwtSsoBuilder builder, SourceChoice choice, Func<IServiceProvider, JwtTokenSource>? factory)
    {
        var services = builder.Services;
        var earlier = services.Where(d => d.ServiceType == typeof(SourceChoice)).Select(d => d.ImplementationInstance).OfType<SourceChoice>()
            .FirstOrDefault(c => c.Instance == builder.Name);
        if (earlier is not null)
        {
            // The same source again composes like options do (each call's settings apply in order); anything else is a conflict.
            if (choice.Source is null || !earlier.IsFor(builder.Name, choice.Source))
            {
                throw new InvalidOperationException(
                    $"The JWT SSO instance '{JwtSsoServiceCollectionExtensions.DisplayName(builder.Name)}' already has a token source ({Describe(earlier)}); it cannot also use {Describe(choice)}. "
                    + $"Choose one (the '{ConfigurationSections.SourceKey}' key of its configuration section, or a method such as AddGcp), or register a second instance with AddNpgsqlJwtSso(\"<name>\").");
            }

            if (choice.Section is not null)
            {
                services.AddSingleton(choice);
            }

            return;
        }

        var instance = builder.Name;
        services.AddSingleton(choice);
        services.AddKeyedSingleton<JwtTokenSource>(instance, factory is null ? (sp, _) => Create(sp, instance) : (sp, _) => factory(sp));
        services.AddOptions<SourceSelection>(instance).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SourceSelection>, SourceSelectionValidator>());
    }

    private static JwtTokenSource Create(IServiceProvider services, string instance)
    {
        var choice = services.GetServices<SourceChoice>().First(c => c.Instance == instance);
        var registration = Find(services, choice.Source!)
            ?? throw new JwtSsoException(JwtSsoErrorKind.Configuration, null, NotRegistered(services, choice));
        return registration.Create(services, instance);
    }

    private static string Describe(SourceChoice choice)
        => choice.Source is null ? "a token source given in code" : $"'{choice.Source}' (from {choice.Origin})";
}
