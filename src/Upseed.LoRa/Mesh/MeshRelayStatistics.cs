namespace Upseed.LoRa.Mesh;

/// <summary>Counters of one relay, for the admin and the benchmarks.</summary>
public sealed class MeshRelayStatistics
{
    public long PacketsHeard { get; internal set; }

    /// <summary>Payloads that are not frames of ours (noise, another app's packet).</summary>
    public long NotFrames { get; internal set; }

    public long RecordsAccepted { get; internal set; }

    public long RecordsDuplicate { get; internal set; }

    /// <summary>Reassembled messages that did not decode or whose record was refused (bad signature...).</summary>
    public long RecordsRefused { get; internal set; }

    public long RecordsRelayed { get; internal set; }

    /// <summary>Relays and repairs dropped because another box sent the same first.</summary>
    public long Suppressed { get; internal set; }

    public long RepairRequestsSent { get; internal set; }

    public long RepairFramesSent { get; internal set; }

    public long Retransmissions { get; internal set; }

    public long DigestsSent { get; internal set; }

    public long FramesSent { get; internal set; }

    /// <summary>Sends the radio refused (duty cycle, not connected, too large).</summary>
    public long SendsRefused { get; internal set; }
}
