using System.Buffers;
using System.Buffers.Binary;
using Upseed.Metainfo;

namespace Upseed.Torrent.Wire;

/// <summary>
/// The 68-byte BitTorrent handshake (BEP 3): <c>19</c>, <c>"BitTorrent protocol"</c>, 8 reserved bytes, the info-hash
/// and the peer id. The reserved bytes announce extensions: DHT (BEP 5), Fast (BEP 6) and the extension protocol
/// (BEP 10).
/// </summary>
/// <param name="Reserved">The 8 reserved bytes read as a big-endian integer, so byte 0 is the top byte.</param>
/// <param name="InfoHash">The torrent the connection is for; a receiver that does not serve it closes the connection.</param>
/// <param name="PeerId">The sender's peer id.</param>
public readonly record struct Handshake(ulong Reserved, InfoHash InfoHash, PeerId PeerId)
{
    /// <summary>Bytes in a handshake: 1 + 19 + 8 + 20 + 20.</summary>
    public const int Size = 68;

    /// <summary>
    /// Bytes up to and including the info-hash. An incoming connection can look the info-hash up (and refuse an unknown
    /// one) before the peer id arrives; some clients wait for our handshake before sending their peer id.
    /// </summary>
    public const int HeaderSize = 48;

    private const int ReservedOffset = 20;
    private const int InfoHashOffset = 28;
    private const int PeerIdOffset = 48;

    // BEP 10: reserved_byte[5] & 0x10; BEP 5: reserved_byte[7] & 0x01; BEP 6: reserved_byte[7] & 0x04. Byte i of the
    // big-endian integer sits (7 - i) * 8 bits up.
    private const ulong ExtensionProtocolBit = 0x10UL << 16;
    private const ulong DhtBit = 0x01;
    private const ulong FastExtensionBit = 0x04;

    /// <summary>Byte 0 (the protocol string's length) and the protocol string, as BEP 3 fixes them.</summary>
    private static ReadOnlySpan<byte> Prefix => "\u0013BitTorrent protocol"u8;

    /// <summary>The peer supports the extension protocol (BEP 10: <c>reserved[5] &amp; 0x10</c>).</summary>
    public bool SupportsExtensionProtocol => (Reserved & ExtensionProtocolBit) != 0;

    /// <summary>The peer runs a DHT node and may send a PORT message (BEP 5: <c>reserved[7] &amp; 0x01</c>).</summary>
    public bool SupportsDht => (Reserved & DhtBit) != 0;

    /// <summary>The peer supports the Fast extension (BEP 6: <c>reserved[7] &amp; 0x04</c>).</summary>
    public bool SupportsFastExtension => (Reserved & FastExtensionBit) != 0;

    /// <summary>The reserved bytes announcing the given extensions, all other bits zero.</summary>
    public static ulong ReservedBits(bool extensionProtocol, bool dht, bool fast) =>
        (extensionProtocol ? ExtensionProtocolBit : 0) | (dht ? DhtBit : 0) | (fast ? FastExtensionBit : 0);

    /// <summary>Writes the 68 bytes to the start of <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Size"/>.</exception>
    /// <exception cref="InvalidOperationException"><see cref="PeerId"/> is the default (empty) value.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"A handshake needs {Size} bytes.", nameof(destination));
        }

        if (PeerId.Span.Length != PeerId.Size)
        {
            throw new InvalidOperationException("The handshake has no peer id.");
        }

        Prefix.CopyTo(destination);
        BinaryPrimitives.WriteUInt64BigEndian(destination[ReservedOffset..], Reserved);
        InfoHash.CopyTo(destination[InfoHashOffset..]);
        PeerId.Span.CopyTo(destination[PeerIdOffset..]);
    }

    /// <summary>
    /// Reads a handshake from the start of <paramref name="input"/>; bytes past <see cref="Size"/> belong to the next
    /// message and are not looked at.
    /// </summary>
    /// <returns>
    /// <see cref="OperationStatus.Done"/>; <see cref="OperationStatus.NeedMoreData"/> when fewer than 68 bytes are there
    /// and they are a valid start of a handshake; <see cref="OperationStatus.InvalidData"/> with a reason when byte 0 is
    /// not 19 or the protocol string differs, as soon as the first wrong byte is there.
    /// </returns>
    public static OperationStatus TryRead(ReadOnlySpan<byte> input, out Handshake handshake, out string? error)
    {
        handshake = default;
        var status = CheckPrefix(input, Size, out error);
        if (status != OperationStatus.Done)
        {
            return status;
        }

        handshake = new Handshake(
            BinaryPrimitives.ReadUInt64BigEndian(input[ReservedOffset..]),
            new InfoHash(input.Slice(InfoHashOffset, InfoHash.Size)),
            new PeerId(input.Slice(PeerIdOffset, PeerId.Size)));
        return OperationStatus.Done;
    }

    /// <summary>
    /// Reads the first <see cref="HeaderSize"/> bytes only (protocol, reserved bytes and info-hash), for a receiver that
    /// decides whether to answer before the peer id arrives. Results as for <see cref="TryRead"/>.
    /// </summary>
    public static OperationStatus TryReadHeader(ReadOnlySpan<byte> input, out ulong reserved, out InfoHash infoHash, out string? error)
    {
        reserved = 0;
        infoHash = default;
        var status = CheckPrefix(input, HeaderSize, out error);
        if (status != OperationStatus.Done)
        {
            return status;
        }

        reserved = BinaryPrimitives.ReadUInt64BigEndian(input[ReservedOffset..]);
        infoHash = new InfoHash(input.Slice(InfoHashOffset, InfoHash.Size));
        return OperationStatus.Done;
    }

    // Checks whatever part of the fixed prefix has arrived, so a peer speaking another protocol (HTTP, an encrypted
    // BitTorrent stream) is refused at its first byte instead of after 68.
    private static OperationStatus CheckPrefix(ReadOnlySpan<byte> input, int needed, out string? error)
    {
        error = null;
        if (input.Length > 0 && input[0] != Prefix[0])
        {
            error = $"protocol string length is {input[0]}, not 19 (BEP 3)";
            return OperationStatus.InvalidData;
        }

        var present = Math.Min(input.Length, Prefix.Length);
        if (!input[..present].SequenceEqual(Prefix[..present]))
        {
            error = "protocol string is not \"BitTorrent protocol\" (BEP 3)";
            return OperationStatus.InvalidData;
        }

        return input.Length < needed ? OperationStatus.NeedMoreData : OperationStatus.Done;
    }
}
