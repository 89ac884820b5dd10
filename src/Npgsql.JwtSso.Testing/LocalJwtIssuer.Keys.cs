using System.Text.Json;

namespace Npgsql.JwtSso.Testing;

public sealed partial class LocalJwtIssuer
{
    /// <summary>The key id of the RSA-2048 (RS256) key every issuer starts with; the initial <see cref="DefaultKey"/>.</summary>
    public const string RsaKeyId = "rsa-1";

    /// <summary>The key id of the EC P-256 (ES256) key every issuer starts with.</summary>
    public const string EcKeyId = "ec-1";

    private readonly Lock _keysLock = new();
    private readonly List<LocalSigningKey> _keys = [];
    private LocalSigningKey _defaultKey;

    /// <summary>Gets the published keys (those in the JWKS), in the order they were added.</summary>
    public IReadOnlyList<LocalSigningKey> Keys
    {
        get
        {
            lock (_keysLock)
            {
                return [.. _keys];
            }
        }
    }

    /// <summary>Gets or sets the key tokens are signed with when <see cref="JwtMintOptions"/> names none. Must be published.</summary>
    /// <exception cref="ArgumentException">The key set is not published (see <see cref="AddKey"/>).</exception>
    public LocalSigningKey DefaultKey
    {
        get
        {
            lock (_keysLock)
            {
                return _defaultKey;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (_keysLock)
            {
                if (!_keys.Contains(value))
                {
                    throw new ArgumentException($"Key '{value.KeyId}' is not published by this issuer; call AddKey first.", nameof(value));
                }

                _defaultKey = value;
            }
        }
    }

    /// <summary>Gets the JWKS document served at <c>/.well-known/jwks.json</c>: <c>{"keys": [...]}</c> with the public keys.</summary>
    public string JwksJson
    {
        get
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("keys");
                lock (_keysLock)
                {
                    foreach (var key in _keys)
                    {
                        key.WriteJwk(writer);
                    }
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    /// <summary>Publishes a key in the JWKS (e.g. for a key rotation test). The issuer disposes it when disposed.</summary>
    /// <param name="key">The key; its <see cref="LocalSigningKey.KeyId"/> must be new to this issuer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentException">A key with the same id is already published.</exception>
    public void AddKey(LocalSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_keysLock)
        {
            if (_keys.Exists(k => k.KeyId == key.KeyId))
            {
                throw new ArgumentException($"A key with kid '{key.KeyId}' is already published; pick another key id.", nameof(key));
            }

            _keys.Add(key);
        }
    }

    /// <summary>Unpublishes a key: it leaves the JWKS, but tokens can still be signed with it via <see cref="JwtMintOptions.SigningKey"/>.</summary>
    /// <param name="keyId">The key id.</param>
    /// <returns>The removed key (now owned by the caller), or <see langword="null"/> if no such key was published.</returns>
    /// <exception cref="InvalidOperationException">The key is the <see cref="DefaultKey"/>; set another default first.</exception>
    public LocalSigningKey? RemoveKey(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        lock (_keysLock)
        {
            var key = _keys.Find(k => k.KeyId == keyId);
            if (key is null)
            {
                return null;
            }

            if (ReferenceEquals(key, _defaultKey))
            {
                throw new InvalidOperationException($"Key '{keyId}' is the issuer's DefaultKey; set DefaultKey to another published key before removing it.");
            }

            _keys.Remove(key);
            return key;
        }
    }

    /// <summary>Gets a published key by id.</summary>
    /// <param name="keyId">The key id, e.g. <see cref="EcKeyId"/>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="KeyNotFoundException">No published key has that id.</exception>
    public LocalSigningKey GetKey(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        lock (_keysLock)
        {
            return _keys.Find(k => k.KeyId == keyId)
                ?? throw new KeyNotFoundException($"No published key has kid '{keyId}'. Published: {string.Join(", ", _keys.Select(k => k.KeyId))}.");
        }
    }
}
