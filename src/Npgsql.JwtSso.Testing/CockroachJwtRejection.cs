namespace Npgsql.JwtSso.Testing;

/// <summary>A login the emulator refused: what the client was sent, and the log-only explanation a real node would log.</summary>
public sealed class CockroachJwtRejection
{
    internal CockroachJwtRejection(string user, string sqlState, string message, string? detail, string? logDetail)
    {
        User = user;
        SqlState = sqlState;
        Message = message;
        Detail = detail;
        LogDetail = logDetail;
    }

    /// <summary>Gets the user named in the StartupMessage.</summary>
    public string User { get; }

    /// <summary>Gets the SQLSTATE sent to the client (for example <c>28000</c>).</summary>
    public string SqlState { get; }

    /// <summary>Gets the message sent to the client (for example <c>JWT authentication: invalid audience</c>).</summary>
    public string Message { get; }

    /// <summary>Gets the DETAIL sent to the client, if any.</summary>
    public string? Detail { get; }

    /// <summary>Gets the explanation a node only logs (for example <c>unable to fetch jwks: …</c>), if any.</summary>
    public string? LogDetail { get; }

    /// <summary>Returns the rejection as <c>SQLSTATE message (DETAIL: …)</c>.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => Detail is null ? $"{SqlState} {Message}" : $"{SqlState} {Message} (DETAIL: {Detail})";
}
