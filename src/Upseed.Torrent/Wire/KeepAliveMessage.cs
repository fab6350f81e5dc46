namespace Upseed.Torrent.Wire;

/// <summary>
/// BEP 3 keep-alive: a zero length prefix with no id, sent when nothing else was sent for a while (usually every two
/// minutes) so the peer does not time the connection out.
/// </summary>
public sealed record KeepAliveMessage : PeerMessage
{
    private KeepAliveMessage()
    {
    }

    /// <summary>The message carries nothing, so one instance serves every connection.</summary>
    public static KeepAliveMessage Instance { get; } = new();

    /// <summary>Always <see langword="null"/>: a keep-alive has no id byte.</summary>
    public override byte? MessageId => null;
}
