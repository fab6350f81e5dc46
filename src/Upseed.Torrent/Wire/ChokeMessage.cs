namespace Upseed.Torrent.Wire;

/// <summary>BEP 3 <c>choke</c>: the sender will not answer requests until it unchokes. Connections start choked.</summary>
public sealed record ChokeMessage : PeerMessage
{
    private ChokeMessage()
    {
    }

    /// <summary>The message carries no payload, so one instance serves every connection.</summary>
    public static ChokeMessage Instance { get; } = new();

    public override byte? MessageId => PeerMessageIds.Choke;
}
