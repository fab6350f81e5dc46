namespace Upseed.Torrent.Tests.Lsd;

/// <summary>
/// A clock that moves only on <see cref="Advance"/>, with timers (so <c>Task.Delay(span, clock)</c> waits for the
/// test): a timer fires when an advance reaches its due time.
/// </summary>
internal sealed class LsdManualClock : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private long _ticks = TimeSpan.FromDays(1).Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    /// <summary>Timers armed and not yet fired.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.DueTicks is not null);
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        var target = Interlocked.Read(ref _ticks) + by.Ticks;
        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.DueTicks is long due && due <= target).MinBy(t => t.DueTicks);
                if (next is null)
                {
                    break;
                }

                Interlocked.Exchange(ref _ticks, Math.Max(next.DueTicks!.Value, Interlocked.Read(ref _ticks)));
                next.DueTicks = next.PeriodTicks is long p && p > 0 ? next.DueTicks + p : null;
            }

            next.Fire();
        }

        Interlocked.Exchange(ref _ticks, target);
    }

    private sealed class ManualTimer(LsdManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public long? DueTicks { get; set; }

        public long? PeriodTicks { get; set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                DueTicks = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetTimestamp() + dueTime.Ticks;
                PeriodTicks = period == Timeout.InfiniteTimeSpan ? null : period.Ticks;
            }

            return true;
        }

        public void Dispose()
        {
            lock (clock._lock)
            {
                DueTicks = null;
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
