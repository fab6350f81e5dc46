namespace Upseed.Torrent.Wire;

/// <summary>
/// BEP 6 <c>have all</c>: replaces the bitfield of a seed; only valid when both sides set the Fast extension bit.
/// </summary>
public sealed record HaveAllMessage : PeerMessage
{
    private HaveAllMessage()
    {
    }

    /// <summary>The message carries no payload, so one instance serves every connection.</summary>
    public static HaveAllMessage Instance { get; } = new();

    public override byte? MessageId => PeerMessageIds.HaveAll;
}
