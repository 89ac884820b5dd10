namespace Npgsql.JwtSso.OAuth;

/// <summary>How a client authenticates itself at the token endpoint (RFC 6749 §2.3, RFC 7523, OpenID Connect Core §9).</summary>
public enum ClientAuthenticationMethod
{
    /// <summary><c>client_secret_basic</c>: client id and secret in an HTTP Basic <c>Authorization</c> header (the OAuth default, and Okta's).</summary>
    ClientSecretBasic,

    /// <summary><c>client_secret_post</c>: client id and secret as form fields of the token request.</summary>
    ClientSecretPost,

    /// <summary>
    /// <c>private_key_jwt</c>: a short-lived JWT signed with the client's private key (RS256 or ES256); no shared secret
    /// leaves the machine. The recommended method.
    /// </summary>
    PrivateKeyJwt,
}
