namespace Upseed.Torrent.Tests.Swarm;

/// <summary>
/// A clock that moves only when the test says so (there is no Microsoft.Extensions.TimeProvider.Testing here).
/// Timestamps are in ticks; <see cref="TimeProvider.GetElapsedTime(long)"/> works from them.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _ticks = TimeSpan.FromDays(1).Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
