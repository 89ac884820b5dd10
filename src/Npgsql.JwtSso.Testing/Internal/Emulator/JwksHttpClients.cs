using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>
/// The HTTP clients for JWKS auto-fetch: the default one (system roots, no proxy), or one per
/// <c>server.jwt_authentication.issuers.custom_ca</c> value whose PEM certificates are the only trusted roots.
/// </summary>
internal sealed class JwksHttpClients : IDisposable
{
    private readonly HttpClient _default;
    private readonly bool _handlerSupplied;
    private readonly ConcurrentDictionary<string, HttpClient> _byCustomCa = new(StringComparer.Ordinal);

    internal JwksHttpClients(HttpMessageHandler? handler)
    {
        _handlerSupplied = handler is not null;
        _default = handler is not null
            ? new HttpClient(handler, disposeHandler: false)
            : new HttpClient(new SocketsHttpHandler { UseProxy = false });
        _default.Timeout = Timeout.InfiniteTimeSpan; // server.jwt_authentication.client.timeout applies per request
    }

    /// <summary>Returns the client for a custom-CA value (empty: system roots). A supplied handler always wins.</summary>
    internal HttpClient For(string customCaPem)
        => _handlerSupplied || string.IsNullOrWhiteSpace(customCaPem) ? _default : _byCustomCa.GetOrAdd(customCaPem, Create);

    /// <summary>Parses PEM certificates; empty when none is readable.</summary>
    internal static X509Certificate2Collection ParseRoots(string pem)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(pem);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            roots.Clear();
        }

        return roots;
    }

    public void Dispose()
    {
        _default.Dispose();
        foreach (var client in _byCustomCa.Values)
        {
            client.Dispose();
        }
    }

    private static HttpClient Create(string pem)
    {
        var roots = ParseRoots(pem);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => IsTrusted(roots, certificate, chain, errors),
            },
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static bool IsTrusted(X509Certificate2Collection roots, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is null || roots.Count == 0 || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
