using System.IO.Compression;

namespace Upseed.MeshSim;

/// <summary>
/// The text compressors measured for compact frames. .NET's DeflateStream takes no preset dictionary, so one is
/// emulated: the dictionary is compressed first and sync-flushed (a byte boundary), and only what follows is kept;
/// the receiver inflates (compressed dictionary ‖ received bytes) and drops the dictionary. That is sound for Deflate
/// (blocks share only the window) but not for Brotli, whose distance cache crosses the flush: Brotli with a
/// dictionary needs both ends to compress the dictionary to the very same bytes (the same library version).
/// </summary>
internal static class CompressionOptions
{
    public static int Deflate(byte[] data)
    {
        var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(data);
        }

        return (int)output.Length;
    }

    public static int DeflateWithDictionary(byte[] data, byte[] dictionary)
    {
        var output = new MemoryStream();
        long cut;
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(dictionary);
            deflate.Flush();
            cut = output.Length;
            deflate.Write(data);
        }

        return (int)(output.Length - cut);
    }

    public static int Brotli(byte[] data, int windowBits)
    {
        var output = new byte[BrotliEncoder.GetMaxCompressedLength(data.Length)];
        return BrotliEncoder.TryCompress(data, output, out var written, 11, windowBits) ? written : data.Length;
    }

    public static int BrotliWithDictionary(byte[] data, byte[] dictionary, int windowBits)
    {
        using var encoder = new BrotliEncoder(11, windowBits);
        var output = new byte[BrotliEncoder.GetMaxCompressedLength(dictionary.Length + data.Length) + 64];
        encoder.Compress(dictionary, output, out _, out var first, isFinalBlock: false);
        encoder.Flush(output.AsSpan(first), out var flushed);
        var cut = first + flushed;
        encoder.Compress(data, output.AsSpan(cut), out _, out var rest, isFinalBlock: true);
        return rest;
    }
}
