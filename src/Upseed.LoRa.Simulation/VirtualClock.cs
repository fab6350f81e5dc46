namespace Upseed.LoRa.Simulation;

/// <summary>
/// Simulated time: it moves only when events run, so an hour of mesh traffic takes milliseconds and every run with the
/// same seed is the same run. Events at the same instant run in the order they were scheduled.
/// </summary>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private readonly PriorityQueue<Action, (DateTimeOffset At, long Sequence)> _events = new();
    private long _sequence;

    public DateTimeOffset Now { get; private set; } = start;

    public int PendingEvents => _events.Count;

    public override DateTimeOffset GetUtcNow() => Now;

    /// <summary>Timers would need real threads: simulated components are driven by <see cref="Schedule"/> instead.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        throw new NotSupportedException("The virtual clock has no timers; schedule events on it.");

    /// <summary>Runs <paramref name="action"/> when the clock reaches <paramref name="at"/> (now, if that is past).</summary>
    public void Schedule(DateTimeOffset at, Action action) => _events.Enqueue(action, (at < Now ? Now : at, _sequence++));

    /// <summary>Runs the next event if it is due by <paramref name="until"/>, moving the clock to it.</summary>
    public bool RunNext(DateTimeOffset until)
    {
        if (!_events.TryPeek(out _, out var key) || key.At > until)
        {
            return false;
        }

        var action = _events.Dequeue();
        Now = key.At;
        action();
        return true;
    }

    /// <summary>Moves the clock forward without running anything (only when no event is due before).</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        if (at > Now)
        {
            Now = at;
        }
    }
}
