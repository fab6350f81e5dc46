using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Upseed.Dht;

/// <summary>A 160-bit DHT node id (BEP 5). Distances are XOR, compared as unsigned big-endian numbers.</summary>
public readonly struct NodeId : IEquatable<NodeId>, IComparable<NodeId>
{
    public const int Size = 20;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly uint _c;

    public NodeId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A node id is {Size} bytes.", nameof(bytes));
        }

        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
    }

    private NodeId(ulong a, ulong b, uint c)
    {
        _a = a;
        _b = b;
        _c = c;
    }

    public static NodeId Random()
    {
        Span<byte> bytes = stackalloc byte[Size];
        RandomNumberGenerator.Fill(bytes);
        return new NodeId(bytes);
    }

    /// <summary>XOR distance to another id.</summary>
    public NodeId Xor(NodeId other) => new(_a ^ other._a, _b ^ other._b, _c ^ other._c);

    /// <summary>Number of leading bits this id shares with another (160 when equal).</summary>
    public int CommonPrefixLength(NodeId other)
    {
        var d = Xor(other);
        if (d._a != 0)
        {
            return System.Numerics.BitOperations.LeadingZeroCount(d._a);
        }

        if (d._b != 0)
        {
            return 64 + System.Numerics.BitOperations.LeadingZeroCount(d._b);
        }

        return d._c != 0 ? 128 + System.Numerics.BitOperations.LeadingZeroCount(d._c) : 160;
    }

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _c);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public bool Equals(NodeId other) => _a == other._a && _b == other._b && _c == other._c;

    public override bool Equals(object? obj) => obj is NodeId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);

    public int CompareTo(NodeId other)
    {
        var cmp = _a.CompareTo(other._a);
        if (cmp != 0)
        {
            return cmp;
        }

        cmp = _b.CompareTo(other._b);
        return cmp != 0 ? cmp : _c.CompareTo(other._c);
    }

    public static bool operator ==(NodeId left, NodeId right) => left.Equals(right);

    public static bool operator !=(NodeId left, NodeId right) => !left.Equals(right);

    public static bool operator <(NodeId left, NodeId right) => left.CompareTo(right) < 0;

    public static bool operator >(NodeId left, NodeId right) => left.CompareTo(right) > 0;

    public static bool operator <=(NodeId left, NodeId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(NodeId left, NodeId right) => left.CompareTo(right) >= 0;
}
