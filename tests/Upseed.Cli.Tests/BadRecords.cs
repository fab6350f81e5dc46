using System.Text;

namespace Upseed.Cli.Tests;

/// <summary>Damaged copies of a good record file, one per kind of bad input issue 2 lists.</summary>
internal static class BadRecords
{
    /// <summary>The record with the first occurrence of <paramref name="from"/> replaced by <paramref name="to"/> (same length).</summary>
    public static byte[] Replace(byte[] record, string from, string to)
    {
        var fromBytes = Encoding.UTF8.GetBytes(from);
        var toBytes = Encoding.UTF8.GetBytes(to);
        Assert.Equal(fromBytes.Length, toBytes.Length);
        var at = record.AsSpan().IndexOf(fromBytes);
        Assert.True(at >= 0, $"'{from}' is not in the record");
        var copy = record.ToArray();
        toBytes.CopyTo(copy, at);
        return copy;
    }

    /// <summary>
    /// Makes the damaged bytes for a case. The good record is a post whose body is "Small but red." and whose title
    /// is "First tomatoes".
    /// </summary>
    public static byte[] Make(string kind, byte[] good) => kind switch
    {
        // Signed bytes changed after signing: the signature no longer matches.
        "tampered" => Replace(good, "Small", "Large"),
        // Cut short in the middle, as a broken download would be.
        "truncated" => good[..(good.Length / 2)],
        // A NUL and a DEL in the body: binary, not text. Same length, so the bencode still parses.
        "binary" => Replace(good, "but", "\0\u007f\u0001"),
        // A good record with a byte after its end: not the one canonical encoding.
        "trailing" => [.. good, (byte)'e'],
        // Over the 64 KiB record cap.
        "oversized" => [.. good, .. new byte[64 * 1024]],
        // Not bencode at all.
        "garbage" => Encoding.ASCII.GetBytes("hello, this is not a record\n"),
        // An empty file.
        "empty" => [],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such case"),
    };
}
