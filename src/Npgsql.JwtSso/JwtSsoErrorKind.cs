namespace Npgsql.JwtSso;

/// <summary>What went wrong, for a <see cref="JwtSsoException"/>.</summary>
public enum JwtSsoErrorKind
{
    /// <summary>The token source (identity provider, file, command…) failed or refused to issue a token.</summary>
    SourceFailed,

    /// <summary>The source returned text that is not a usable JWT (not a compact JWS, expired on arrival, DPoP-bound…).</summary>
    InvalidToken,

    /// <summary>No usable token could be obtained within the configured acquire timeout.</summary>
    Timeout,

    /// <summary>The library or the connection string is configured in a way that cannot work; the message names the setting.</summary>
    Configuration,

    /// <summary>The connection's SQL username is not one the cluster will accept for the token's principal.</summary>
    IdentityMismatch,

    /// <summary>The cluster rejected the login (SQLSTATE 28000 "JWT authentication: …"); the message carries a hint.</summary>
    ServerRejected,
}
