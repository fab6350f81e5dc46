using System.Buffers;
using System.Text;
using Upseed.Bencode;

namespace Upseed.Dht.Items;

/// <summary>
/// Helpers for BEP 44 values. A DHT item's value <c>v</c> is always raw bencoded bytes (any bencoded value: string,
/// integer, list or dictionary); these turn text and bytes into a bencoded string and back.
/// </summary>
public static class DhtValue
{
    /// <summary>The bencoded string holding <paramref name="text"/> as UTF-8, e.g. "Hello" → <c>5:Hello</c>.</summary>
    /// <exception cref="ArgumentException">The encoded value would exceed <see cref="ItemLimits.MaxValueSize"/>.</exception>
    public static byte[] FromString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return FromBytes(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The bencoded string holding <paramref name="bytes"/>, e.g. 3 bytes → <c>3:…</c>.</summary>
    /// <exception cref="ArgumentException">The encoded value would exceed <see cref="ItemLimits.MaxValueSize"/>.</exception>
    public static byte[] FromBytes(ReadOnlySpan<byte> bytes)
    {
        var writer = new ArrayBufferWriter<byte>(bytes.Length + 8);
        BencodeWriter.WriteString(writer, bytes);
        if (writer.WrittenCount > ItemLimits.MaxValueSize)
        {
            throw new ArgumentException($"A DHT value is at most {ItemLimits.MaxValueSize} bencoded bytes (BEP 44).", nameof(bytes));
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>The bytes of a value that is one bencoded string; false for any other value or invalid bencoding.</summary>
    public static bool TryGetBytes(ReadOnlyMemory<byte> bencodedValue, out ReadOnlyMemory<byte> bytes)
    {
        bytes = default;
        if (!TryDecode(bencodedValue, out var value) || value is not BString s)
        {
            return false;
        }

        bytes = s.Value;
        return true;
    }

    /// <summary>The text of a value that is one bencoded string of valid UTF-8; false otherwise.</summary>
    public static bool TryGetString(ReadOnlyMemory<byte> bencodedValue, out string text)
    {
        text = string.Empty;
        if (!TryGetBytes(bencodedValue, out var bytes))
        {
            return false;
        }

        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.Span);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Decodes a value strictly (canonical bencode, BEP 44); false when it is not one valid value.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> bencodedValue, out BValue? value)
    {
        value = null;
        if (bencodedValue.IsEmpty || bencodedValue.Length > ItemLimits.MaxValueSize)
        {
            return false;
        }

        try
        {
            value = BencodeDecoder.Decode(bencodedValue);
            return true;
        }
        catch (BencodeException)
        {
            return false;
        }
    }
}
