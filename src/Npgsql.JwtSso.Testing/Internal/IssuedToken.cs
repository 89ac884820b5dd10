namespace Npgsql.JwtSso.Testing.Internal;

/// <summary>A token an endpoint serves, with the times it needs for <c>expires_in</c>/<c>expires_on</c> fields.</summary>
internal sealed class IssuedToken(string value, DateTimeOffset servedAt, DateTimeOffset expiresAt)
{
    /// <summary>Gets the token text. A secret: never log it.</summary>
    internal string Value { get; } = value;

    /// <summary>Gets the issuer clock's time of minting, truncated to whole seconds like the token's claims.</summary>
    internal DateTimeOffset ServedAt { get; } = servedAt;

    /// <summary>Gets the token's <c>exp</c> (for a token without <c>exp</c>: iat + lifetime).</summary>
    internal DateTimeOffset ExpiresAt { get; } = expiresAt;

    /// <summary>Gets <see cref="ExpiresAt"/> − <see cref="ServedAt"/> in whole seconds: the <c>expires_in</c> to serve (negative when expired on arrival).</summary>
    internal long ExpiresInSeconds => (long)(ExpiresAt - ServedAt).TotalSeconds;

    /// <summary>Gets <see cref="ExpiresAt"/> as Unix seconds: the <c>expires_on</c> to serve.</summary>
    internal long ExpiresOnUnixSeconds => ExpiresAt.ToUnixTimeSeconds();
}
