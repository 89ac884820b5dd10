using System.Buffers.Text;
using System.Text;

namespace Npgsql.JwtSso.Testing.Tests.Emulator;

/// <summary>
/// CockroachDB's step 1 (<c>jwt.ParseInsecure</c>): the DETAIL after <c>token parsing failed: </c> is lestrrat-go/jwx
/// v2.0.21's error text, composed from jwx's wrappers (jwt/jwt.go, jws/jws.go, jwt/token_gen.go, internal/base64,
/// jwt/internal/types) and the Go standard-library messages they wrap. Other jwx v2 releases may word these differently.
/// </summary>
public sealed class JwxParseErrorTests(KitFixture fixture) : EmulatorTestBase(fixture)
{
    private const string Prefix = "token parsing failed: ";
    private const string Header = """{"alg":"RS256","kid":"test_kid1"}""";
    private const string Claims = """{"iss":"issuer1","sub":"test_user1","aud":"test_cluster","exp":4102444800}""";

    public static TheoryData<string, string> Cases => new()
    {
        { "not-a-jwt", "invalid JWT" },
        { "a.b", "invalid JWT" },
        { "a.b.c.d", "invalid JWT" },
        { "a.b.c.d.e", "unsupported format (layer: #1)" },
        { "ab$d." + B64(Claims) + ".c2ln", "invalid jws message: failed to decode protected headers: failed to decode source: illegal base64 data at input byte 2" },
        { B64(Header) + ".abcde.c2ln", "invalid jws message: failed to decode payload: failed to decode source: illegal base64 data at input byte 4" },
        { B64(Header) + "." + B64(Claims) + ".si!g", "invalid jws message: failed to decode signature: failed to decode source: illegal base64 data at input byte 2" },
        { B64("xyz") + "." + B64(Claims) + ".c2ln", "invalid jws message: failed to parse JOSE headers: invalid character 'x' looking for beginning of value" },
        { B64(Header) + "." + B64("{\"sub\":") + ".c2ln", "failed to parse token: unexpected EOF" },
        { B64(Header) + "." + B64("hello") + ".c2ln", "failed to parse token: invalid character 'h' looking for beginning of value" },
        { B64(Header) + "." + B64("[1]") + ".c2ln", "failed to parse token: expected '{', but got '['" },
        { B64(Header) + "." + B64("""{"aud":123}""") + ".c2ln", "failed to parse token: failed to decode value for key aud: invalid type: float64" },
        { B64(Header) + "." + B64("""{"aud":{"a":1}}""") + ".c2ln", "failed to parse token: failed to decode value for key aud: invalid type: map[string]interface {}" },
        { B64(Header) + "." + B64("""{"aud":["a",1]}""") + ".c2ln", "failed to parse token: failed to decode value for key aud: invalid list element type float64" },
        { B64(Header) + "." + B64("""{"exp":true}""") + ".c2ln", "failed to parse token: failed to decode value for key exp: invalid value for NumericDate: invalid type bool" },
        { B64(Header) + "." + B64("""{"nbf":null}""") + ".c2ln", "failed to parse token: failed to decode value for key nbf: invalid value for NumericDate: invalid type <nil>" },
        { B64(Header) + "." + B64("""{"iat":"soon"}""") + ".c2ln", "failed to parse token: failed to decode value for key iat: invalid value for NumericDate: failed to accept string \"soon\": value is not number of seconds since the epoch, and attempt to parse it as RFC3339 timestamp failed: parsing time \"soon\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"soon\" as \"2006\"" },
        { B64(Header) + "." + B64("""{"sub":42}""") + ".c2ln", "failed to parse token: failed to decode value for key sub: error reading next value: json: cannot unmarshal number into Go value of type string" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Login_MalformedToken_JwxParseInsecureText(string token, string detail)
    {
        AssertJwtError(await RejectAsync("test_user1", token), "invalid token", Prefix + detail);
    }

    private static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
