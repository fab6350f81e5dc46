namespace Upseed.Torrent.Wire;

/// <summary>
/// The message ids of the peer wire protocol: the byte after the length prefix. BEP 3 defines 0–8, BEP 5 adds
/// PORT (9), BEP 6 (Fast extension) adds 0x0D–0x11 and BEP 10 claims 20 for extension messages.
/// </summary>
public static class PeerMessageIds
{
    public const byte Choke = 0;
    public const byte Unchoke = 1;
    public const byte Interested = 2;
    public const byte NotInterested = 3;
    public const byte Have = 4;
    public const byte Bitfield = 5;
    public const byte Request = 6;
    public const byte Piece = 7;
    public const byte Cancel = 8;

    /// <summary>The DHT node's UDP port (BEP 5).</summary>
    public const byte Port = 9;

    /// <summary>Fast extension (BEP 6).</summary>
    public const byte SuggestPiece = 0x0D;

    /// <summary>Fast extension (BEP 6).</summary>
    public const byte HaveAll = 0x0E;

    /// <summary>Fast extension (BEP 6).</summary>
    public const byte HaveNone = 0x0F;

    /// <summary>Fast extension (BEP 6).</summary>
    public const byte RejectRequest = 0x10;

    /// <summary>Fast extension (BEP 6).</summary>
    public const byte AllowedFast = 0x11;

    /// <summary>Extension protocol (BEP 10): the payload starts with the extended message id, 0 = handshake.</summary>
    public const byte Extended = 20;

    /// <summary>Bytes of the length prefix that precedes every message (BEP 3: a 4-byte big-endian integer).</summary>
    public const int LengthPrefixSize = 4;

    /// <summary>
    /// Bytes before a piece message's block: length prefix, id, index and begin. A session writes these with
    /// <see cref="PeerMessageWriter.WritePieceHeader"/> and sends the block straight after.
    /// </summary>
    public const int PieceHeaderSize = 13;
}
