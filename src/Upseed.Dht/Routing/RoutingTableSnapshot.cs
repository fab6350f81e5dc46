using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Upseed.Bencode;

namespace Upseed.Dht.Routing;

/// <summary>
/// A routing table saved between runs (BEP 5: "the routing table should be saved between invocations").
/// The file is one bencoded dictionary: <c>id</c> (our 20-byte id), <c>nodes</c> (IPv4 compact node info, 26 bytes
/// each, BEP 5) and <c>nodes6</c> (IPv6, 38 bytes each, BEP 32).
/// </summary>
public sealed class RoutingTableSnapshot
{
    /// <summary>
    /// Largest file <see cref="Load"/> reads: 160 full buckets of IPv6 nodes take 160 × 8 × 38 ≈ 48 KiB, so 1 MiB
    /// leaves room for larger K without reading an arbitrary file into memory.
    /// </summary>
    public const int MaxFileSize = 1 << 20;

    private const int CompactIPv4 = NodeId.Size + 6;
    private const int CompactIPv6 = NodeId.Size + 18;

    private readonly NodeId? _ownId;

    public RoutingTableSnapshot(NodeId ownId, IReadOnlyList<NodeContact> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        _ownId = ownId;
        Nodes = nodes;
    }

    private RoutingTableSnapshot(string error)
    {
        Nodes = [];
        Error = error;
    }

    public IReadOnlyList<NodeContact> Nodes { get; }

    /// <summary>Why <see cref="Load"/> returned an empty snapshot; null when the file was read.</summary>
    public string? Error { get; }

    /// <summary>The id saved with the table; missing when the file could not be read.</summary>
    public bool TryGetOwnId(out NodeId ownId)
    {
        ownId = _ownId.GetValueOrDefault();
        return _ownId.HasValue;
    }

    /// <summary>Writes the snapshot. Nodes whose address is neither IPv4 nor IPv6 are left out.</summary>
    /// <exception cref="InvalidOperationException">The snapshot came from a failed <see cref="Load"/> and has no id.</exception>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (_ownId is not { } ownId)
        {
            throw new InvalidOperationException("An empty snapshot from a failed load has no id to save.");
        }

        var v4 = new List<byte>();
        var v6 = new List<byte>();
        Span<byte> entry = stackalloc byte[CompactIPv6];
        foreach (var contact in Nodes)
        {
            var address = contact.EndPoint.Address;
            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            {
                continue;
            }

            var size = address.AddressFamily == AddressFamily.InterNetwork ? CompactIPv4 : CompactIPv6;
            contact.Id.CopyTo(entry);
            address.TryWriteBytes(entry[NodeId.Size..], out var written);
            BinaryPrimitives.WriteUInt16BigEndian(entry[(NodeId.Size + written)..], (ushort)contact.EndPoint.Port);
            (size == CompactIPv4 ? v4 : v6).AddRange(entry[..size]);
        }

        var dictionary = new BDictionary()
            .Set("id", ownId.ToArray())
            .Set("nodes", v4.ToArray())
            .Set("nodes6", v6.ToArray());
        stream.Write(dictionary.Encode());
    }

    /// <summary>
    /// Reads a saved table. Bad bytes never throw: the result is then empty, with <see cref="Error"/> saying why.
    /// </summary>
    /// <exception cref="IOException">The stream itself failed.</exception>
    public static RoutingTableSnapshot Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var span = buffer.GetSpan(4096);
            var read = stream.Read(span);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxFileSize)
            {
                return new RoutingTableSnapshot($"file larger than {MaxFileSize} bytes");
            }
        }

        return Parse(buffer.WrittenMemory);
    }

    private static RoutingTableSnapshot Parse(ReadOnlyMemory<byte> bytes)
    {
        BValue root;
        try
        {
            root = BencodeDecoder.Decode(bytes);
        }
        catch (BencodeException e)
        {
            return new RoutingTableSnapshot($"not valid bencode: {e.Message}");
        }

        if (root is not BDictionary dictionary)
        {
            return new RoutingTableSnapshot("not a dictionary");
        }

        if (!dictionary.TryGetValue("id", out var idValue) || idValue is not BString { Value.Length: NodeId.Size } idString)
        {
            return new RoutingTableSnapshot("missing or malformed id");
        }

        var nodes = new List<NodeContact>();
        if (!TryReadCompact(dictionary, "nodes", CompactIPv4, nodes, out var error)
            || !TryReadCompact(dictionary, "nodes6", CompactIPv6, nodes, out error))
        {
            return new RoutingTableSnapshot(error);
        }

        return new RoutingTableSnapshot(new NodeId(idString.Span), nodes);
    }

    private static bool TryReadCompact(BDictionary dictionary, string key, int size, List<NodeContact> nodes, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (!dictionary.TryGetValue(key, out var value))
        {
            return true;
        }

        if (value is not BString { Value.Length: var length } compact || length % size != 0)
        {
            error = $"'{key}' is not a whole number of {size}-byte compact nodes";
            return false;
        }

        var span = compact.Span;
        for (var offset = 0; offset < span.Length; offset += size)
        {
            var entry = span.Slice(offset, size);
            var address = new IPAddress(entry[NodeId.Size..^2]);
            var port = BinaryPrimitives.ReadUInt16BigEndian(entry[^2..]);
            nodes.Add(new NodeContact(new NodeId(entry[..NodeId.Size]), new IPEndPoint(address, port)));
        }

        return true;
    }
}
