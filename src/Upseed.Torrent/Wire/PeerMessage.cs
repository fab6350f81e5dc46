namespace Upseed.Torrent.Wire;

/// <summary>
/// One message of the peer wire protocol (BEP 3), after the handshake. Messages are plain data: the codec is
/// <see cref="PeerMessageReader"/>/<see cref="PeerMessageWriter"/>, and what a message means for a connection is the
/// session's business.
/// </summary>
public abstract record PeerMessage
{
    private protected PeerMessage()
    {
    }

    /// <summary>
    /// The id byte after the length prefix (<see cref="PeerMessageIds"/>); <see langword="null"/> for the keep-alive,
    /// which BEP 3 sends as a zero length prefix with no id.
    /// </summary>
    public abstract byte? MessageId { get; }
}
