using Google.Apis.Util;

namespace Npgsql.JwtSso.Gcp.Internal;

/// <summary>Google's <see cref="IClock"/> over a <see cref="TimeProvider"/>, so Google's token windows and ours read the same clock.</summary>
internal sealed class GcpClock(TimeProvider time) : IClock
{
    public DateTime Now => time.GetLocalNow().DateTime;

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;
}
