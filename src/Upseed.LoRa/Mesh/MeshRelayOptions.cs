namespace Upseed.LoRa.Mesh;

/// <summary>Timing of the relay. Every default is written down; they are sized for LongFast (a full frame ≈ 2.2 s).</summary>
public sealed record MeshRelayOptions
{
    /// <summary>
    /// A relayed or repaired frame waits a random time up to this long, so boxes that heard the same frame do not
    /// answer at once (and one that hears another answer first stays quiet). Defaults to 12 s.
    /// </summary>
    public TimeSpan MaxJitter { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>After a partial message's last fragment, how long before asking neighbours for the rest. Defaults to 20 s.</summary>
    public TimeSpan RepairDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Times one message is asked for before waiting for the next digest. Defaults to 3.</summary>
    public int MaxRepairRequests { get; init; } = 3;

    /// <summary>The same message is not asked for again sooner than this. Defaults to 60 s.</summary>
    public TimeSpan RepairInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// After sending a record that should be relayed, how long to listen for a neighbour relaying it (a passive
    /// acknowledgement) before sending it again. Defaults to 60 s.
    /// </summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Sends of one record again for want of an acknowledgement. Defaults to 2.</summary>
    public int MaxRetransmits { get; init; } = 2;

    /// <summary>A node not heard for this long is no longer counted a neighbour. Defaults to 1 hour.</summary>
    public TimeSpan NeighbourLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Recent records remembered (for duplicate suppression, digests and repairs). Defaults to 1024.</summary>
    public int MaxKnownRecords { get; init; } = 1024;

    /// <summary>
    /// Meshtastic <c>hop_limit</c> for our packets. Defaults to 0: boxes relay at the app layer with their own hop
    /// budget, and firmware flooding on top would multiply the airtime.
    /// </summary>
    public int FirmwareHopLimit { get; init; }
}
