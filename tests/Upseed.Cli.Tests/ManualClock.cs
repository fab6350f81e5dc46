namespace Upseed.Cli.Tests;

/// <summary>A clock that moves only when a test moves it (STYLE.md rule 12: inject time, never sleep).</summary>
internal sealed class ManualClock : TimeProvider
{
    /// <summary>2025-11-22 03:13:54 UTC, an arbitrary fixed instant.</summary>
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_763_781_234);

    private long _ticks = Start.UtcTicks;

    public DateTimeOffset Now => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public long UnixNow => Now.ToUnixTimeSeconds();

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
