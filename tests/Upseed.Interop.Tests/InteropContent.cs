using Upseed.Bencode;

namespace Upseed.Interop.Tests;

/// <summary>The contents every interop test runs over, chosen at the piece boundaries where off-by-ones live.</summary>
internal static class InteropContent
{
    public static TheoryData<string, int> Cases() => new()
    {
        { "tiny.upseed", 5 },
        { "one-block.upseed", 16384 }, // exactly one 16 KiB piece
        { "one-block-and-a-byte.upseed", 16385 }, // a second piece of one byte
        { "sixty-kib.upseed", (60 * 1024) + 123 }, // four pieces, the last one short
        { "post-héllo-wörld.upseed", 40000 }, // non-ASCII name: UTF-8 in the info dict and %-escaped in magnets
    };

    /// <summary>Deterministic bytes that differ from piece to piece, so equal piece hashes would show a slicing bug.</summary>
    public static byte[] Bytes(int length)
    {
        var content = new byte[length];
        for (var i = 0; i < length; i++)
        {
            content[i] = (byte)((i * 31) ^ (i >> 8));
        }

        return content;
    }

    /// <summary>
    /// A torrent whose single file has 0 bytes. SingleFileTorrent refuses to build one, so it is written by hand here,
    /// to show that real clients refuse it too.
    /// </summary>
    public static byte[] ZeroLengthTorrent() =>
        new BDictionary()
            .Set("info", new BDictionary()
                .Set("length", 0)
                .Set("name", "empty.upseed")
                .Set("piece length", 16384)
                .Set("pieces", ReadOnlyMemory<byte>.Empty))
            .Encode();
}
