using Upseed.LoRa.Frames;
using Upseed.LoRa.Radio;

namespace Upseed.LoRa.Airtime;

/// <summary>
/// A frame waiting for airtime: the packet, how urgent it is, the earliest time it may go (jitter, so boxes that
/// heard the same thing do not all answer at once), and what it carries, so it can be cancelled when another box sends
/// the same first.
/// </summary>
public sealed record ScheduledFrame(TransmitPriority Priority, RadioPacket Packet, DateTimeOffset NotBefore, MeshFrameType Type, uint MessageId = 0, int FragmentIndex = 0)
{
    /// <summary>Time on air, set by the scheduler when it accepts the frame.</summary>
    public TimeSpan Airtime { get; internal set; }

    internal long Sequence { get; set; }
}
