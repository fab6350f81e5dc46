namespace Upseed.Torrent.Wire;

/// <summary>BEP 3 <c>interested</c>: the sender wants pieces the receiver has.</summary>
public sealed record InterestedMessage : PeerMessage
{
    private InterestedMessage()
    {
    }

    /// <summary>The message carries no payload, so one instance serves every connection.</summary>
    public static InterestedMessage Instance { get; } = new();

    public override byte? MessageId => PeerMessageIds.Interested;
}
