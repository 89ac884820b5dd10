namespace Npgsql.JwtSso.Internal;

/// <summary>An error CockroachDB answers for a malformed <c>options</c> startup parameter.</summary>
/// <param name="SqlState">The SQLSTATE: <c>08P01</c> for malformed options, <c>22023</c> for a bad flag value.</param>
/// <param name="Message">The server's message text.</param>
internal sealed record CrdbOptionsError(string SqlState, string Message);
