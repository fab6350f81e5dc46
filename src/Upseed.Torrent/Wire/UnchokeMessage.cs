namespace Upseed.Torrent.Wire;

/// <summary>BEP 3 <c>unchoke</c>: the sender will now answer requests.</summary>
public sealed record UnchokeMessage : PeerMessage
{
    private UnchokeMessage()
    {
    }

    /// <summary>The message carries no payload, so one instance serves every connection.</summary>
    public static UnchokeMessage Instance { get; } = new();

    public override byte? MessageId => PeerMessageIds.Unchoke;
}
