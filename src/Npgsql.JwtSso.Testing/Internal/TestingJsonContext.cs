using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql.JwtSso.Testing.Internal.Vendors;

namespace Npgsql.JwtSso.Testing.Internal;

/// <summary>Source-generated JSON metadata for what the issuer reads (trim- and AOT-safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(VendorEndpoints.GenerateIdTokenRequest))]
internal sealed partial class TestingJsonContext : JsonSerializerContext
{
}
