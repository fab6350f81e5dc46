using System.Buffers;
using System.Buffers.Binary;
using System.Net;

namespace Upseed.Dht.Krpc;

/// <summary>BEP 5/32 compact encodings: peers 6 or 18 bytes, nodes 26 or 38 bytes (address and port big-endian).</summary>
internal static class CompactFormat
{
    public const int Node4Size = NodeId.Size + 6;
    public const int Node6Size = NodeId.Size + 18;

    public static bool TryReadPeer(ReadOnlySpan<byte> bytes, out IPEndPoint? endPoint)
    {
        if (bytes.Length != 6 && bytes.Length != 18)
        {
            endPoint = null;
            return false;
        }

        var addressLength = bytes.Length - 2;
        endPoint = new IPEndPoint(new IPAddress(bytes[..addressLength]), BinaryPrimitives.ReadUInt16BigEndian(bytes[addressLength..]));
        return true;
    }

    public static void WritePeer(IBufferWriter<byte> writer, IPEndPoint endPoint)
    {
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        Span<byte> buffer = stackalloc byte[18];
        address.TryWriteBytes(buffer, out var length);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[length..], (ushort)endPoint.Port);
        writer.Write(buffer[..(length + 2)]);
    }

    public static int PeerSize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 || endPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 6 : 18;

    public static bool TryReadNodes(ReadOnlySpan<byte> bytes, int entrySize, out List<CompactNode> nodes)
    {
        nodes = [];
        if (bytes.Length % entrySize != 0)
        {
            return false;
        }

        for (var i = 0; i < bytes.Length; i += entrySize)
        {
            var entry = bytes.Slice(i, entrySize);
            TryReadPeer(entry[NodeId.Size..], out var endPoint);
            nodes.Add(new CompactNode(new NodeId(entry[..NodeId.Size]), endPoint!));
        }

        return true;
    }

    public static byte[] WriteNodes(IReadOnlyList<CompactNode> nodes, int entrySize)
    {
        var writer = new ArrayBufferWriter<byte>(nodes.Count * entrySize);
        foreach (var node in nodes)
        {
            if (PeerSize(node.EndPoint) + NodeId.Size != entrySize)
            {
                throw new ArgumentException(
                    entrySize == Node4Size ? "nodes holds IPv4 nodes only." : "nodes6 holds IPv6 nodes only.", nameof(nodes));
            }

            node.Id.CopyTo(writer.GetSpan(NodeId.Size));
            writer.Advance(NodeId.Size);
            WritePeer(writer, node.EndPoint);
        }

        return writer.WrittenSpan.ToArray();
    }
}
