namespace Upseed.Testing;

/// <summary>A clock that only moves when a test moves it (STYLE.md rule 12: inject time, never sleep).</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>2025-11-22 03:13:54 UTC, an arbitrary fixed instant.</summary>
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_763_781_234);

    public FixedClock()
        : this(Start)
    {
    }

    public DateTimeOffset Now { get; set; } = now;

    public long UnixNow => Now.ToUnixTimeSeconds();

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
