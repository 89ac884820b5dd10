using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Npgsql.JwtSso.Testing.Internal;

/// <summary>Serializes and signs compact JWS tokens; no validation, so deliberately broken tokens can be built.</summary>
internal static class JwtWriter
{
    internal static string Write(Dictionary<string, object?> header, Dictionary<string, object?> payload, LocalSigningKey? signer)
    {
        var signingInput = Encode(header) + "." + Encode(payload);
        if (signer is null)
        {
            return signingInput + ".";
        }

        var signature = signer.Sign(Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static string Encode(Dictionary<string, object?> part) =>
        Base64Url.EncodeToString(JsonObjectWriter.ToUtf8Bytes(part));
}
