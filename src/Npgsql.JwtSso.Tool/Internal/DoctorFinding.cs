namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>The outcome of one doctor check.</summary>
internal enum DoctorStatus
{
    Ok,
    Warning,
    Problem,
    Skipped,
}

/// <summary>One line of the doctor's report: what was checked, the verdict in plain words, and the fix.</summary>
internal sealed record DoctorFinding(string Check, DoctorStatus Status, string Message, string? Fix = null)
{
    public static DoctorFinding Ok(string check, string message) => new(check, DoctorStatus.Ok, message);

    public static DoctorFinding Skip(string check, string message) => new(check, DoctorStatus.Skipped, message);

    public static DoctorFinding Warn(string check, string message, string? fix = null) => new(check, DoctorStatus.Warning, message, fix);

    public static DoctorFinding Problem(string check, string message, string? fix) => new(check, DoctorStatus.Problem, message, fix);

    /// <summary>A rejection the cluster would give, with the fix from the core's hint helper (the one used for real server errors).</summary>
    public static DoctorFinding Rejection(string check, string reason, string? detail, JwtToken? token, string? claim, string? user, string? prefix = null)
    {
        var message = $"{prefix}The cluster would answer 'JWT authentication: {reason}'" + (string.IsNullOrEmpty(detail) ? "." : $" (DETAIL: {detail}).");
        var fix = CockroachServerErrors.GetHint("28000", "JWT authentication: " + reason, detail, token, claim, user);
        return new(check, DoctorStatus.Problem, message, fix);
    }
}
