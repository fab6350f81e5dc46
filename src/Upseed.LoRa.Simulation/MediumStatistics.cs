namespace Upseed.LoRa.Simulation;

/// <summary>What happened on the simulated air.</summary>
public sealed class MediumStatistics
{
    public long Transmissions { get; internal set; }

    public TimeSpan Airtime { get; internal set; }

    public long PayloadBytes { get; internal set; }

    public long Delivered { get; internal set; }

    /// <summary>Receptions lost to the link's loss rate.</summary>
    public long Lost { get; internal set; }

    /// <summary>Receptions lost because another transmission overlapped at the receiver (or the receiver was sending).</summary>
    public long Collisions { get; internal set; }

    /// <summary>Sends the radios refused for their duty cycle.</summary>
    public long DutyCycleRefusals { get; internal set; }
}
