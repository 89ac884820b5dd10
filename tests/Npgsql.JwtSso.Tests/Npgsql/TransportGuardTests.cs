using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Npgsql.JwtSso.Tests.NpgsqlWiring;

/// <summary>The transport rule (issue 12 items 1 and 2): the token leaves only under a verified server certificate.</summary>
[Collection(TransportGuardTests.EnvironmentCollection)]
public sealed class TransportGuardTests
{
    /// <summary>Tests that set PGSSLROOTCERT (read by Npgsql for every connection without Root Certificate) run alone.</summary>
    public const string EnvironmentCollection = "PGSSLROOTCERT";

    [Fact]
    public void UseJwtSso_VerifyCaWithoutRootCertificate_RefusedNamingVerifyFullAndRootCertificate()
    {
        var builder = new NpgsqlDataSourceBuilder("Host=h;Username=u;SSL Mode=VerifyCA");

        var e = Assert.Throws<JwtSsoException>(() => builder.UseJwtSso(new CountingTokenSource()));

        Assert.Equal(JwtSsoErrorKind.Configuration, e.Kind);
        Assert.Contains("SSL Mode=VerifyCA without a Root Certificate", e.Message, StringComparison.Ordinal);
        Assert.Contains("'SSL Mode=VerifyFull'", e.Message, StringComparison.Ordinal);
        Assert.Contains("AllowInsecureTransport", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseJwtSso_VerifyCaWithRootCertificate_AcceptedWithWarningNamingVerifyFull()
    {
        var logs = new RecordingLoggerFactory();

        new NpgsqlDataSourceBuilder("Host=h;Username=u;SSL Mode=VerifyCA;Root Certificate=/etc/cluster/ca.crt")
            .UseJwtSso(new CountingTokenSource(), loggerFactory: logs);

        var warning = Assert.Single(logs.Entries, l => l.Level == LogLevel.Warning);
        Assert.Contains("VerifyCA", warning.Text, StringComparison.Ordinal);
        Assert.Contains("Use SSL Mode=VerifyFull", warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void UseJwtSso_VerifyFull_NoWarning()
    {
        var logs = new RecordingLoggerFactory();

        new NpgsqlDataSourceBuilder("Host=h;Username=u;SSL Mode=VerifyFull").UseJwtSso(new CountingTokenSource(), loggerFactory: logs);

        Assert.DoesNotContain(logs.Entries, l => l.Level >= LogLevel.Warning);
    }

    /// <summary>
    /// The leak of issue 12 item 1: a server presenting a leaf for another host name (evil.example), reached as 127.0.0.1,
    /// whose chain Npgsql trusts without the connection string naming a Root Certificate (here through PGSSLROOTCERT,
    /// standing in for the system roots). The control row shows the setup does hand the token over when the guard is off.
    /// </summary>
    [Fact]
    public async Task VerifyCa_LeafForAnotherHostTrustedWithoutRootCertificate_RefusedBeforeTheTokenIsSent()
    {
        using var ca = CreateCa();
        using var leaf = CreateLeaf(ca, "evil.example");
        var rootPath = Path.Combine(Path.GetTempPath(), $"jwtsso-public-root-{Guid.NewGuid():N}.crt");
        await File.WriteAllTextAsync(rootPath, ca.ExportCertificatePem());
        var previous = Environment.GetEnvironmentVariable("PGSSLROOTCERT");
        Environment.SetEnvironmentVariable("PGSSLROOTCERT", rootPath);
        try
        {
            await using var server = new FakeCrdbServer(certificate: leaf);
            var cs = $"Host=127.0.0.1;Port={server.Port};Username=alice;SSL Mode=VerifyCA;Server Compatibility Mode=NoTypeLoading;Timeout=30;Pooling=false";

            // Control: with the guard switched off, VerifyCA accepts the foreign leaf and the token arrives.
            var leakingSource = new CountingTokenSource();
            await using (var leaking = await new NpgsqlDataSourceBuilder(cs).UseJwtSso(leakingSource, o => o.AllowInsecureTransport = true).BuildJwtSsoAsync())
            {
                await using var connection = await leaking.OpenConnectionAsync();
            }

            Assert.True(server.SawTls);
            Assert.Equal(leakingSource.Issued[0].Value, Assert.Single(server.Logins).Password);

            var source = new CountingTokenSource();
            var e = Assert.Throws<JwtSsoException>(() => new NpgsqlDataSourceBuilder(cs).UseJwtSso(source));

            Assert.Contains("SSL Mode=VerifyCA without a Root Certificate", e.Message, StringComparison.Ordinal);
            Assert.Single(server.Logins); // only the control's login
            Assert.Equal(0, source.Calls);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGSSLROOTCERT", previous);
            File.Delete(rootPath);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PlainBuild_SslModeDisabledAfterUseJwtSso_RefusedBeforeTheTokenIsSentWithTheGuardsMessage(bool sync)
    {
        await using var server = new FakeCrdbServer();
        var source = new CountingTokenSource();
        var builder = new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice;SSL Mode=VerifyFull")).UseJwtSso(source);
        builder.ConnectionStringBuilder.SslMode = SslMode.Disable;
        await using var dataSource = builder.Build();
        var guardMessage = Assert.Throws<JwtSsoException>(() => new NpgsqlDataSourceBuilder("Host=h;SSL Mode=Disable").UseJwtSso(new CountingTokenSource())).Message;

        var e = sync
            ? Assert.ThrowsAny<NpgsqlException>(() => dataSource.OpenConnection())
            : await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await dataSource.OpenConnectionAsync());

        var inner = Assert.IsType<JwtSsoException>(e.InnerException);
        Assert.Equal(JwtSsoErrorKind.Configuration, inner.Kind);
        Assert.Equal(guardMessage, inner.Message);
        Assert.Empty(server.Logins);
        Assert.Equal(0, source.Calls); // refused before the first token was even fetched
    }

    private static X509Certificate2 CreateCa()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Publicly Trusted Test Root", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = TimeProvider.System.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    private static X509Certificate2 CreateLeaf(X509Certificate2 ca, string dnsName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = TimeProvider.System.GetUtcNow();
        using var signed = request.Create(ca, now.AddDays(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}

[CollectionDefinition(TransportGuardTests.EnvironmentCollection, DisableParallelization = true)]
public sealed class PgSslRootCertCollection
{
}
