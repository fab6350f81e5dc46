using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;
using Upseed.Bencode;

namespace Upseed.Torrent.Extensions;

/// <summary>The bencode rules the extension decoders share: other clients' encoders, so tight limits but unsorted keys.</summary>
internal static class ExtensionBencode
{
    /// <summary>
    /// Largest extension payload decoded. An extension handshake is a few hundred bytes, a ut_metadata message at most
    /// a 16 KiB piece (BEP 9) plus its dictionary, and a ut_pex message of 200 IPv6 peers under 5 KiB (BEP 11).
    /// </summary>
    public const int MaxPayloadLength = 64 * 1024;

    /// <summary>
    /// Other clients do not always sort keys (BEP 3 asks them to), so unsorted keys are accepted; duplicates are not.
    /// Depth 4 covers the deepest message here (the handshake's <c>m</c> dictionary is depth 2) with room for unknown
    /// keys; 1,000 values is far above any message these codecs read.
    /// </summary>
    public static BencodeOptions Options { get; } = new()
    {
        RequireSortedKeys = false,
        MaxDepth = 4,
        MaxMessageSize = MaxPayloadLength,
        MaxStringLength = MaxPayloadLength,
        MaxValues = 1000,
    };

    /// <summary>Decodes a dictionary at the start of the payload; with <paramref name="wholePayload"/> nothing may follow it.</summary>
    public static bool TryDecodeDictionary(
        ReadOnlyMemory<byte> payload,
        bool wholePayload,
        [NotNullWhen(true)] out BDictionary? dictionary,
        out int consumed,
        [NotNullWhen(false)] out string? error)
    {
        dictionary = null;
        consumed = 0;
        if (payload.Length > MaxPayloadLength)
        {
            error = $"extension payload of {payload.Length} bytes is over the {MaxPayloadLength}-byte limit";
            return false;
        }

        BValue value;
        try
        {
            value = wholePayload ? BencodeDecoder.Decode(payload, Options) : BencodeDecoder.DecodePrefix(payload, out consumed, Options);
            if (wholePayload)
            {
                consumed = payload.Length;
            }
        }
        catch (BencodeException ex)
        {
            error = ex.Message;
            return false;
        }

        dictionary = value as BDictionary;
        error = dictionary is null ? "extension payload is not a bencoded dictionary" : null;
        return dictionary is not null;
    }

    /// <summary>An integer entry within [<paramref name="min"/>, <paramref name="max"/>]; anything else counts as absent.</summary>
    public static bool TryGetInt32(BDictionary dictionary, ReadOnlySpan<byte> key, int min, int max, out int value)
    {
        if (dictionary.TryGetValue(key, out var entry) && entry is BInteger integer && integer.Value >= min && integer.Value <= max)
        {
            value = (int)integer.Value;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>A byte-string entry; anything else counts as absent.</summary>
    public static bool TryGetBytes(BDictionary dictionary, ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> value)
    {
        if (dictionary.TryGetValue(key, out var entry) && entry is BString text)
        {
            value = text.Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The bytes as text when they are valid UTF-8; invalid text is treated as absent, never repaired.</summary>
    public static bool TryGetUtf8(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out string? text)
    {
        text = Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : null;
        return text is not null;
    }
}
