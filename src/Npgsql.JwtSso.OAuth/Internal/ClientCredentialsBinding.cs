using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>
/// Binds <see cref="ClientCredentialsTokenSourceOptions"/> (and a preset's options) from configuration without reflection,
/// so that strict binding works the same trimmed, under native AOT and untrimmed. The configuration-binding source
/// generator binds a copy of the settings (<see cref="ClientCredentialsSettings"/>) that has every option but
/// <see cref="ClientCredentialsTokenSourceOptions.Certificate"/>: a certificate with its private key is an object set in
/// code, which the generator cannot bind (it would construct one through obsolete APIs). A <c>Certificate</c> key fails,
/// naming the key and the alternatives.
/// </summary>
internal static class ClientCredentialsBinding
{
    /// <summary>Binds the generic options strictly (an unknown key fails naming it).</summary>
    public static void Bind(IConfiguration configuration, ClientCredentialsTokenSourceOptions options)
        => Bind(configuration, options, new ClientCredentialsSettings(), static (c, s) => c.Bind(s, static b => b.ErrorOnUnknownConfiguration = true));

    /// <summary>
    /// Binds a preset's options through its own settings type; <paramref name="bind"/> is the preset's binding call
    /// (<c>(c, s) => c.Bind(s, b => b.ErrorOnUnknownConfiguration = true)</c>), in the preset's assembly so the generator binds it.
    /// </summary>
    public static void Bind<TSettings>(IConfiguration configuration, ClientCredentialsTokenSourceOptions options, TSettings settings, Action<IConfiguration, TSettings> bind)
        where TSettings : ClientCredentialsSettings
    {
        if (configuration.GetChildren().FirstOrDefault(c => string.Equals(c.Key, nameof(ClientCredentialsTokenSourceOptions.Certificate), StringComparison.OrdinalIgnoreCase)) is { } certificate)
        {
            throw new InvalidOperationException(
                $"'{certificate.Path}' cannot be set from configuration: a certificate with its private key is set in code "
                + $"({options.GetType().Name}.{nameof(ClientCredentialsTokenSourceOptions.Certificate)}, for example from X509CertificateLoader); "
                + $"in configuration give the key as {nameof(ClientCredentialsTokenSourceOptions.PrivateKeyPem)} or {nameof(ClientCredentialsTokenSourceOptions.PrivateKeyJwk)}");
        }

        settings.CopyFrom(options);
        try
        {
            bind(configuration, settings);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains(typeof(TSettings).FullName!, StringComparison.Ordinal))
        {
            // The unknown-key message names the type bound: name the options type the user knows instead.
            throw new InvalidOperationException(ex.Message.Replace(typeof(TSettings).FullName!, options.GetType().FullName, StringComparison.Ordinal));
        }

        settings.CopyTo(options);
    }
}
