namespace Upseed.Torrent.Wire;

/// <summary>
/// Limits <see cref="PeerMessageReader"/> enforces on what a peer sends. Every default is written down; a session
/// for larger torrents than Upseed's own can raise them.
/// </summary>
public sealed record PeerWireOptions
{
    /// <summary>The largest <see cref="MaxMessageLength"/> can be: a length prefix must fit a signed 32-bit integer.</summary>
    public const int LargestMessageLength = int.MaxValue;

    /// <summary>
    /// Largest value accepted in a message's length prefix (the id byte plus payload, without the 4 prefix bytes),
    /// checked before the body is awaited or allocated. Defaults to 65,549 (64 KiB + 13): a piece message is
    /// 9 + 16,384 bytes (BEP 3 blocks), an Upseed record is under 64 KiB, so its bitfield is a few bytes and its
    /// metadata pieces are 16 KiB (BEP 9); the slack admits extension messages such as a full ut_pex (BEP 11) and
    /// large bitfields from other clients' torrents (up to 524,000 pieces), while one connection never holds more
    /// than this per message.
    /// </summary>
    public int MaxMessageLength { get; init; } = (64 * 1024) + PeerMessageIds.PieceHeaderSize;

    /// <summary>
    /// Largest block length accepted in request, cancel, reject and piece messages. Defaults to 16,384: BEP 3 fixes
    /// blocks at 2^14 bytes and says implementations close connections that request more.
    /// </summary>
    public int MaxBlockLength { get; init; } = 16 * 1024;

    /// <summary>
    /// Whether a message with an id this codec does not know is returned as an <see cref="UnknownMessage"/> (payload
    /// skipped) instead of being refused. Defaults to <see langword="true"/>: BEP 3 asks implementations to ignore
    /// messages they do not understand, and clients send experimental ones; the length limit still applies.
    /// </summary>
    public bool IgnoreUnknownMessages { get; init; } = true;

    /// <summary>The defaults above.</summary>
    public static PeerWireOptions Default { get; } = new();
}
