namespace Upseed.Torrent.Wire;

/// <summary>
/// BEP 6 <c>have none</c>: replaces an empty bitfield; only valid when both sides set the Fast extension bit.
/// </summary>
public sealed record HaveNoneMessage : PeerMessage
{
    private HaveNoneMessage()
    {
    }

    /// <summary>The message carries no payload, so one instance serves every connection.</summary>
    public static HaveNoneMessage Instance { get; } = new();

    public override byte? MessageId => PeerMessageIds.HaveNone;
}
