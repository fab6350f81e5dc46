namespace Upseed.LoRa.Airtime;

/// <summary>The budget as the admin sees it: what was spent in the last window, by priority, and per hour.</summary>
/// <param name="Region">The band the budget applies to.</param>
/// <param name="Preset">The modem preset airtime is computed for.</param>
/// <param name="UsedInWindow">Airtime spent in the rolling window (an hour) ending now.</param>
/// <param name="Allowance">What the region allows in the window.</param>
/// <param name="UsableAllowance">What this box lets itself use (the allowance × the usable share).</param>
/// <param name="UsedByPriority">Airtime spent in the last window per priority.</param>
/// <param name="FramesSent">Frames sent since start.</param>
/// <param name="FramesRefused">Frames refused since start: longer than the dwell limit, or pushed out of a full queue.</param>
/// <param name="Queued">Frames waiting now.</param>
/// <param name="Hours">Airtime per clock hour, oldest first.</param>
public sealed record AirtimeUsage(
    string Region,
    string Preset,
    TimeSpan UsedInWindow,
    TimeSpan Allowance,
    TimeSpan UsableAllowance,
    IReadOnlyDictionary<TransmitPriority, TimeSpan> UsedByPriority,
    long FramesSent,
    long FramesRefused,
    int Queued,
    IReadOnlyList<HourlyAirtime> Hours)
{
    /// <summary>Share of the region's allowance spent in the window (1 = the legal limit).</summary>
    public double FractionOfAllowance => Allowance > TimeSpan.Zero ? UsedInWindow / Allowance : 0;
}

/// <summary>Airtime spent during one clock hour.</summary>
public sealed record HourlyAirtime(DateTimeOffset HourStart, TimeSpan Airtime, int Frames);
