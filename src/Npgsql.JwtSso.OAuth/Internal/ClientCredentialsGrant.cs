using Microsoft.IdentityModel.Tokens;

namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>
/// A validated grant: the source's own copy of the options (with the preset's derived endpoints filled in), the signing
/// key for <c>private_key_jwt</c>, and the preset that words its errors.
/// </summary>
internal sealed record ClientCredentialsGrant(string SourceName, ClientCredentialsTokenSourceOptions Options, SigningCredentials? SigningCredentials, IClientCredentialsPreset Preset)
{
    internal string ClientId => Options.ClientId!.Trim();

    /// <summary>Copies and checks <paramref name="options"/> through <paramref name="preset"/>; every problem is reported at once.</summary>
    /// <exception cref="JwtSsoException">The options are invalid (<see cref="JwtSsoErrorKind.Configuration"/>).</exception>
    internal static ClientCredentialsGrant Create(ClientCredentialsTokenSourceOptions options, IClientCredentialsPreset preset)
    {
        var (copy, signing, errors) = Check(options, preset);
        var name = preset.SourceName(copy);
        return errors.Count == 0 ? new(name, copy, signing, preset) : throw OptionsValidator.Fail(name, preset.SourceType, errors);
    }

    /// <summary>Returns every problem <see cref="Create"/> would report, without creating the grant (start-up validation).</summary>
    internal static List<string> Problems(ClientCredentialsTokenSourceOptions options, IClientCredentialsPreset preset)
        => Check(options, preset).Errors;

    private static (ClientCredentialsTokenSourceOptions Copy, SigningCredentials? Signing, List<string> Errors) Check(ClientCredentialsTokenSourceOptions options, IClientCredentialsPreset preset)
    {
        var copy = options.Snapshot();
        var errors = new List<string>();
        preset.Prepare(copy, errors);
        var signing = OptionsValidator.Validate(copy, errors);
        return (copy, signing, errors);
    }
}
