namespace Upseed.Torrent.Tests.Trackers;

/// <summary>
/// The system clock plus an offset a test moves forward. Timers still run in real time, so a test can age state
/// (a cached connection id) without sleeping while short real timeouts keep working.
/// </summary>
internal sealed class ShiftedTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public override long GetTimestamp() =>
        System.GetTimestamp() + (long)(Offset.Ticks * ((double)TimestampFrequency / TimeSpan.TicksPerSecond));

    private TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}
