using System.Buffers;
using System.IO.Compression;

namespace Upseed.LoRa.Frames;

/// <summary>
/// Compresses the text part of a compact record with Brotli (RFC 7932) at quality 11 and a 64 KiB window (every
/// record fits it). Brotli's built-in dictionary of English words and phrases is what makes it win on 280-character
/// posts; the measured alternatives are in README.md ("LoRa mesh", compression) and <c>tools/Upseed.MeshSim</c>.
/// </summary>
internal static class TextCompression
{
    /// <summary>Quality 11: the smallest output; a record is compressed once and sent many times, so CPU is cheap.</summary>
    public const int Quality = 11;

    /// <summary>2^16 = 64 KiB: no record is larger (RecordLimits.MaxRecordSize), so the window never forgets.</summary>
    public const int WindowBits = 16;

    /// <summary>Compressed bytes, or null when compression would not make the data smaller.</summary>
    public static byte[]? Compress(ReadOnlySpan<byte> data)
    {
        var bound = BrotliEncoder.GetMaxCompressedLength(data.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(bound);
        try
        {
            if (!BrotliEncoder.TryCompress(data, buffer, out var written, Quality, WindowBits) || written >= data.Length)
            {
                return null;
            }

            return buffer.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Decompresses at most <paramref name="maxLength"/> bytes. False on a corrupt stream, on trailing bytes, or when
    /// the output would be larger than the limit (a small frame must not expand into a large allocation).
    /// </summary>
    public static bool TryDecompress(ReadOnlySpan<byte> compressed, int maxLength, out byte[] data)
    {
        data = [];
        var buffer = ArrayPool<byte>.Shared.Rent(maxLength + 1);
        try
        {
            using var decoder = new BrotliDecoder();
            var status = decoder.Decompress(compressed, buffer.AsSpan(0, maxLength + 1), out var consumed, out var written);
            if (status != OperationStatus.Done || consumed != compressed.Length || written > maxLength)
            {
                return false;
            }

            data = buffer.AsSpan(0, written).ToArray();
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
