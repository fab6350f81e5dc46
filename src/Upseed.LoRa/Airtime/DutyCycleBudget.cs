namespace Upseed.LoRa.Airtime;

/// <summary>
/// Airtime spent in a rolling window. A transmission counts whole from its start until its start leaves the window,
/// which errs on the safe side of the regulation. Entries older than the window are dropped, so memory is bounded by
/// the number of transmissions one window can hold.
/// </summary>
public sealed class DutyCycleBudget(TimeSpan window)
{
    private readonly Queue<(DateTimeOffset Start, TimeSpan Airtime)> _entries = new();
    private TimeSpan _used;

    public TimeSpan Window { get; } = window;

    /// <summary>Airtime spent in the window ending now.</summary>
    public TimeSpan Used(DateTimeOffset now)
    {
        Expire(now);
        return _used;
    }

    public void Add(DateTimeOffset start, TimeSpan airtime)
    {
        _entries.Enqueue((start, airtime));
        _used += airtime;
    }

    /// <summary>
    /// How long until <paramref name="airtime"/> more fits under <paramref name="limit"/>: zero when it fits now,
    /// null when it never can (it is longer than the limit itself).
    /// </summary>
    public TimeSpan? Delay(DateTimeOffset now, TimeSpan airtime, TimeSpan limit)
    {
        if (airtime > limit)
        {
            return null;
        }

        Expire(now);
        var excess = _used + airtime - limit;
        if (excess <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        foreach (var (start, spent) in _entries)
        {
            excess -= spent;
            if (excess <= TimeSpan.Zero)
            {
                return start + Window - now;
            }
        }

        return Window;
    }

    private void Expire(DateTimeOffset now)
    {
        while (_entries.TryPeek(out var oldest) && oldest.Start + Window <= now)
        {
            _used -= _entries.Dequeue().Airtime;
        }
    }
}
