using System.Security.Cryptography;
using Upseed.Bencode;

namespace Upseed.Dht.Items;

/// <summary>A BEP 44 immutable item: a bencoded value stored under SHA-1 of its bytes.</summary>
public sealed record ImmutableItem
{
    /// <exception cref="ArgumentException">The value is empty or over <see cref="ItemLimits.MaxValueSize"/>.</exception>
    public ImmutableItem(ReadOnlyMemory<byte> bencodedValue)
    {
        if (bencodedValue.IsEmpty || bencodedValue.Length > ItemLimits.MaxValueSize)
        {
            throw new ArgumentException($"v is 1..{ItemLimits.MaxValueSize} bencoded bytes (BEP 44).", nameof(bencodedValue));
        }

        Value = bencodedValue;
    }

    /// <summary>The bencoded value <c>v</c>, exactly as hashed.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>The item's DHT target, SHA-1 of <see cref="Value"/>.</summary>
    public NodeId Target => ComputeTarget(Value.Span);

    /// <summary>BEP 44: target = SHA-1(bencoded v).</summary>
    public static NodeId ComputeTarget(ReadOnlySpan<byte> bencodedValue)
    {
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(bencodedValue, hash);
        return new NodeId(hash);
    }

    /// <summary>True when <paramref name="bencodedValue"/> is one canonical bencoded value within the size limit.</summary>
    public static bool IsValidValue(ReadOnlyMemory<byte> bencodedValue)
    {
        if (bencodedValue.IsEmpty || bencodedValue.Length > ItemLimits.MaxValueSize)
        {
            return false;
        }

        try
        {
            BencodeDecoder.Decode(bencodedValue);
            return true;
        }
        catch (BencodeException)
        {
            return false;
        }
    }
}
