namespace Upseed.Torrent.Tests.Swarm;

/// <summary>How a <see cref="BadPeer"/> lies.</summary>
public enum BadPeerKind
{
    /// <summary>Answers every block request with a block of the right size full of wrong bytes.</summary>
    WrongData,

    /// <summary>Sends bytes that are no peer message (a length prefix of 2^32 - 1) right after the handshake.</summary>
    Garbage,

    /// <summary>Answers every request with the right bytes padded to 16 KiB, so the short last block is too long.</summary>
    LongBlock,

    /// <summary>Answers the handshake with another info-hash.</summary>
    WrongInfoHash,

    /// <summary>Offers ut_metadata (BEP 9) and sends metadata that does not hash to the info-hash.</summary>
    BadMetadata,
}
