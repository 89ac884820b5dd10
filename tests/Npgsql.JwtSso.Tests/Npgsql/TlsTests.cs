using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace Npgsql.JwtSso.Tests.NpgsqlWiring;

public sealed class TlsTests : IDisposable
{
    private readonly X509Certificate2 _certificate = CreateCertificate();
    private readonly string _rootPath = Path.Combine(Path.GetTempPath(), $"jwtsso-ca-{Guid.NewGuid():N}.crt");

    public TlsTests() => File.WriteAllText(_rootPath, _certificate.ExportCertificatePem());

    public void Dispose()
    {
        File.Delete(_rootPath);
        _certificate.Dispose();
    }

    [Fact]
    public async Task OpenConnectionAsync_VerifyFull_TokenSentOverTls()
    {
        await using var server = new FakeCrdbServer(certificate: _certificate);
        var source = new CountingTokenSource();
        var cs = $"Host=127.0.0.1;Port={server.Port};Username=alice;SSL Mode=VerifyFull;Root Certificate={_rootPath};Server Compatibility Mode=NoTypeLoading;Timeout=30";
        await using var dataSource = await new NpgsqlDataSourceBuilder(cs).UseJwtSso(source).BuildJwtSsoAsync();

        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.True(server.SawTls);
        var login = Assert.Single(server.Logins);
        Assert.Equal(source.Issued[0].Value, login.Password);
        Assert.Equal("--crdb:jwt_auth_enabled=true", login.Startup["options"]);
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=fake-crdb", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = TimeProvider.System.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
