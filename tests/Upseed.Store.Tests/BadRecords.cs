using System.Text;
using Upseed.Bencode;
using Upseed.Records;
using static Upseed.Store.Tests.TestStore;

namespace Upseed.Store.Tests;

/// <summary>
/// Records each broken in exactly one way, named for <c>[Theory]</c> rows. Every one is dated at
/// <see cref="FixedClock.Start"/> and signed (except where the signature is the point), so only the named property is wrong.
/// </summary>
internal static class BadRecords
{
    private static readonly long s_now = FixedClock.Start.ToUnixTimeSeconds();

    public static TheoryData<string> Names => [.. s_cases.Keys];

    public static RejectReason ReasonOf(string name) => s_cases[name].Reason;

    public static byte[] Bytes(string name) => s_cases[name].Make();

    private static readonly Dictionary<string, (RejectReason Reason, Func<byte[]> Make)> s_cases = new(StringComparer.Ordinal)
    {
        ["truncated"] = (RejectReason.Malformed, () => ValidPost()[..^5]),
        ["not a dictionary"] = (RejectReason.Malformed, () => "l4:spame"u8.ToArray()),
        ["over 64 KiB"] = (RejectReason.TooLarge, () => Seal(Post(body: new string('a', 70_000)), Alice, withWork: true)),
        ["unsorted keys"] = (RejectReason.NonCanonical, UnsortedKeys),
        ["leading zero"] = (RejectReason.NonCanonical, () => Replace(ValidPost(), "4:body", "04:body")),
        ["trailing bytes"] = (RejectReason.NonCanonical, () => [.. ValidPost(), (byte)'x']),
        ["body changed after signing"] = (RejectReason.BadSignature, BodyChangedAfterSigning),
        ["signed by another key"] = (RejectReason.BadSignature, () => Seal(Vote(), Bob)),
        ["NUL in body"] = (RejectReason.InvalidText, () => Seal(Post().Set("body", (ReadOnlyMemory<byte>)"a\0b"u8.ToArray()), Alice, withWork: true)),
        ["0xFF in body"] = (RejectReason.InvalidText, () => Seal(Post().Set("body", (ReadOnlyMemory<byte>)new byte[] { 0x61, 0xFF, 0x62 }), Alice, withWork: true)),
        ["BEL in body"] = (RejectReason.InvalidText, () => Seal(Post(body: "ding\u0007"), Alice, withWork: true)),
        ["CSI in body"] = (RejectReason.InvalidText, () => Seal(Post(body: "\u009B31m red"), Alice, withWork: true)),
        ["bidi override in body"] = (RejectReason.InvalidText, () => Seal(Post(body: "\u202Etxt.exe"), Alice, withWork: true)),
        ["newline in title"] = (RejectReason.InvalidText, () => Seal(Post(title: "two\nlines"), Alice, withWork: true)),
        ["11 minutes ahead"] = (RejectReason.FutureTimestamp, () => Seal(Post(created: s_now + (11 * 60)), Alice, withWork: true)),
        ["no proof of work"] = (RejectReason.InsufficientWork, () => Seal(Post(), Alice, withWork: true, work: 0)),
        ["unknown kind"] = (RejectReason.UnknownKind, () => Seal(Draft("poll", Alice, s_now).Set("community", "gardening"), Alice)),
        ["unexpected field"] = (RejectReason.UnexpectedField, () => Seal(Post().Set("zzz", "x"), Alice, withWork: true)),
        ["missing body"] = (RejectReason.MissingField, () => Seal(Draft("post", Alice, s_now).Set("community", "gardening").Set("title", "t"), Alice, withWork: true)),
        ["version 2"] = (RejectReason.UnsupportedVersion, () => Seal(Vote().Set("v", 2), Alice)),
        ["title of 301 bytes"] = (RejectReason.FieldTooLong, () => Seal(Post(title: new string('t', 301)), Alice, withWork: true)),
        ["vote of 2"] = (RejectReason.InvalidField, () => Seal(Vote().Set("value", 2), Alice)),
        ["comment with title"] = (RejectReason.UnexpectedField, () => Seal(Post().Set("parent", FakeId("p").ToArray()).Set("root", FakeId("p").ToArray()), Alice, withWork: true)),
        ["post without title"] = (RejectReason.MissingField, () => Seal(Draft("post", Alice, s_now).Set("community", "gardening").Set("body", "b"), Alice, withWork: true)),
        ["label with target and subject"] = (RejectReason.InvalidField, () => Seal(Draft("label", Alice, s_now).Set("label", "spam").Set("target", FakeId("t").ToArray()).Set("subject", Bob.PublicKey), Alice)),
        ["negative work nonce"] = (RejectReason.InvalidField, () => Seal(Post().Set("pow", -1), Alice)),
    };

    public static BDictionary Post(string title = "A title", string body = "A body.", long? created = null) =>
        Draft("post", Alice, created ?? s_now).Set("community", "gardening").Set("title", title).Set("body", body);

    private static BDictionary Vote() =>
        Draft("vote", Alice, s_now).Set("community", "gardening").Set("target", FakeId("t").ToArray()).Set("value", 1);

    private static byte[] ValidPost() => Seal(Post(), Alice, withWork: true);

    private static byte[] UnsortedKeys()
    {
        var entries = ((BDictionary)BencodeDecoder.Decode(Seal(Vote(), Alice))).Entries.Reverse();
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        BencodeWriter.WriteByte(writer, (byte)'d');
        foreach (var (key, value) in entries)
        {
            BencodeWriter.WriteString(writer, key);
            value.WriteTo(writer);
        }

        BencodeWriter.WriteByte(writer, (byte)'e');
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] BodyChangedAfterSigning()
    {
        var decoded = (BDictionary)BencodeDecoder.Decode(ValidPost());
        var copy = new BDictionary();
        foreach (var (key, value) in decoded.Entries)
        {
            copy.Set(key, value);
        }

        return copy.Set("body", "A bodY.").Encode();
    }

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        var at = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(from));
        return [.. bytes[..at], .. Encoding.ASCII.GetBytes(to), .. bytes[(at + from.Length)..]];
    }
}
