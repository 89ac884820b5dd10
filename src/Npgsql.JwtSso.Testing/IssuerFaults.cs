namespace Npgsql.JwtSso.Testing;

/// <summary>
/// The faults configured per endpoint name of a <see cref="LocalJwtIssuer"/> (names in <see cref="IssuerEndpointNames"/>).
/// Thread-safe; changes apply to the next request.
/// </summary>
public sealed class IssuerFaults
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    internal IssuerFaults()
    {
    }

    /// <summary>Makes every following request to <paramref name="endpoint"/> fail with <paramref name="fault"/> until cleared.</summary>
    /// <param name="endpoint">The endpoint name, e.g. <see cref="IssuerEndpointNames.Token"/>.</param>
    /// <param name="fault">The fault.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="fault"/> is null.</exception>
    public void Set(string endpoint, IssuerFault fault) => Set(endpoint, fault, int.MaxValue);

    /// <summary>Makes the next <paramref name="times"/> requests to <paramref name="endpoint"/> fail with <paramref name="fault"/>, then clears it.</summary>
    /// <param name="endpoint">The endpoint name, e.g. <see cref="IssuerEndpointNames.Token"/>.</param>
    /// <param name="fault">The fault.</param>
    /// <param name="times">How many requests get the fault; at least 1.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="fault"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="times"/> is below 1.</exception>
    public void Set(string endpoint, IssuerFault fault, int times)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_lock)
        {
            _entries[endpoint] = new Entry(fault, times);
        }
    }

    /// <summary>Removes the fault of one endpoint.</summary>
    /// <param name="endpoint">The endpoint name.</param>
    /// <returns><see langword="true"/> if a fault was set.</returns>
    public bool Clear(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_lock)
        {
            return _entries.Remove(endpoint);
        }
    }

    /// <summary>Removes every fault.</summary>
    public void ClearAll()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }

    /// <summary>Gets the fault currently set for an endpoint, without consuming it.</summary>
    /// <param name="endpoint">The endpoint name.</param>
    /// <returns>The fault, or <see langword="null"/> if none is set.</returns>
    public IssuerFault? Get(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_lock)
        {
            return _entries.TryGetValue(endpoint, out var entry) ? entry.Fault : null;
        }
    }

    internal IssuerFault? Take(string endpoint)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(endpoint, out var entry))
            {
                return null;
            }

            if (entry.Remaining != int.MaxValue && --entry.Remaining == 0)
            {
                _entries.Remove(endpoint);
            }

            return entry.Fault;
        }
    }

    private sealed class Entry(IssuerFault fault, int remaining)
    {
        public IssuerFault Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;
    }
}
