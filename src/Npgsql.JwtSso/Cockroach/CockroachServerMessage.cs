namespace Npgsql.JwtSso;

/// <summary>An error a CockroachDB node answers a client with: its SQLSTATE and message text.</summary>
public sealed class CockroachServerMessage
{
    /// <summary>Initializes a new instance of the <see cref="CockroachServerMessage"/> class.</summary>
    /// <param name="sqlState">The SQLSTATE, e.g. <c>08P01</c>.</param>
    /// <param name="message">The message text.</param>
    public CockroachServerMessage(string sqlState, string message)
    {
        ArgumentNullException.ThrowIfNull(sqlState);
        ArgumentNullException.ThrowIfNull(message);
        SqlState = sqlState;
        Message = message;
    }

    /// <summary>Gets the SQLSTATE.</summary>
    public string SqlState { get; }

    /// <summary>Gets the message text.</summary>
    public string Message { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Message} (SQLSTATE {SqlState})";
}
