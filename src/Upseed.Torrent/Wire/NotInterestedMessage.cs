namespace Upseed.Torrent.Wire;

/// <summary>BEP 3 <c>not interested</c>: the sender wants nothing the receiver has.</summary>
public sealed record NotInterestedMessage : PeerMessage
{
    private NotInterestedMessage()
    {
    }

    /// <summary>The message carries no payload, so one instance serves every connection.</summary>
    public static NotInterestedMessage Instance { get; } = new();

    public override byte? MessageId => PeerMessageIds.NotInterested;
}
