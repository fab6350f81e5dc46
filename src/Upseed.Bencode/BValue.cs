using System.Buffers;

namespace Upseed.Bencode;

/// <summary>
/// A bencoded value. Values from <see cref="BencodeDecoder"/> keep <see cref="Raw"/>, the exact bytes they were
/// decoded from, so a signature or info-hash is checked over exactly those bytes.
/// </summary>
public abstract class BValue
{
    private protected BValue(ReadOnlyMemory<byte> raw) => Raw = raw;

    /// <summary>The input bytes this value was decoded from; empty for values built in code.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>Writes the canonical encoding of this value.</summary>
    public abstract void WriteTo(IBufferWriter<byte> writer);

    /// <summary>The canonical encoding of this value as a new array.</summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteTo(buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
