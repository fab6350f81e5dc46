namespace Upseed.Torrent.Wire;

/// <summary>
/// Why <see cref="PeerMessageReader"/> refused a message; <see cref="PeerMessageReader.Describe"/> gives the sentence
/// a session logs. Each one is a protocol violation the session answers by closing that connection.
/// </summary>
public enum PeerWireError
{
    /// <summary>No error.</summary>
    None,

    /// <summary>The length prefix is over <see cref="PeerWireOptions.MaxMessageLength"/> (or over 2^31 − 1).</summary>
    MessageTooLong,

    /// <summary>An id this codec does not know, with <see cref="PeerWireOptions.IgnoreUnknownMessages"/> off.</summary>
    UnknownMessageId,

    /// <summary>A payload length the message's id does not allow (e.g. a <c>have</c> that is not 4 bytes).</summary>
    WrongPayloadLength,

    /// <summary>A block length over <see cref="PeerWireOptions.MaxBlockLength"/> (BEP 3: 16 KiB blocks).</summary>
    BlockTooLong,

    /// <summary>A piece index, offset or length of 2^31 or more, which no torrent can have.</summary>
    NegativeValue,
}
