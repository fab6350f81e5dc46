using FsCheck;
using FsCheck.Fluent;
using Upseed.LoRa.Frames;
using Upseed.LoRa.Radio;
using Upseed.Records;

namespace Upseed.LoRa.Tests;

public class CompactRecordCodecTests
{
    private readonly FixedClock _clock = new();

    public static TheoryData<string> Kinds => ["identity", "identity-bio", "post", "comment", "vote-up", "vote-down", "vote-withdrawn",
        "retract", "edit", "label-target", "label-subject", "charter", "charter-empty"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Encode_EveryKind_RebuildsTheExactCanonicalBytesAndTheSignatureHolds(string which)
    {
        var record = Make(which);

        var compact = CompactRecordCodec.Encode(record);

        Assert.Equal(0, compact[0] & CompactRecordCodec.RawFlag); // the fields form carried it, no fallback
        Assert.Equal(CompactRecordError.None, CompactRecordCodec.TryDecode(compact, out var canonical));
        Assert.Equal(record.Bytes.ToArray(), canonical);
        Assert.True(CompactRecordCodec.TryDecodeRecord(compact, LoRaKit.Options(_clock), out var decoded, out _, out var rejection), rejection?.ToString());
        Assert.Equal(record.Id, decoded.Id);
        Assert.True(compact.Length < record.Bytes.Length, $"compact {compact.Length} B, bencode {record.Bytes.Length} B");
    }

    [Fact]
    public void Encode_Post280_FitsTwoFramesAndAVoteOne()
    {
        var factory = LoRaKit.Factory(LoRaKit.Alice, _clock);
        var post = factory.Post("town", "Road to the lake closed after the storm", LoRaKit.Body280());
        var vote = factory.Vote("town", post.Id, 1);

        var postFrames = MeshFrameCodec.FragmentCount(CompactRecordCodec.Encode(post).Length, RadioLinkDefaults.MaxPayloadSize);
        var voteFrames = MeshFrameCodec.FragmentCount(CompactRecordCodec.Encode(vote).Length, RadioLinkDefaults.MaxPayloadSize);

        Assert.InRange(postFrames, 1, 2);
        Assert.Equal(1, voteFrames);
    }

    [Fact]
    public void Encode_EveryCorpusPost_FitsTwoFrames()
    {
        var factory = LoRaKit.Factory(LoRaKit.Alice, _clock);
        foreach (var (title, body) in LoRaKit.Corpus())
        {
            var post = factory.Post("town", title, body);
            var compact = CompactRecordCodec.Encode(post);
            Assert.InRange(MeshFrameCodec.FragmentCount(compact.Length, RadioLinkDefaults.MaxPayloadSize), 1, 2);
        }
    }

    [Fact]
    public void EncodeRaw_TheFallback_RebuildsTheExactBytes()
    {
        var post = LoRaKit.Factory(LoRaKit.Alice, _clock).Post("town", "Fallback", "Carried as compressed bencode.");

        var compact = CompactRecordCodec.EncodeRaw((byte)post.Kind, post.Bytes.Span);

        Assert.NotEqual(0, compact[0] & CompactRecordCodec.RawFlag);
        Assert.Equal(CompactRecordError.None, CompactRecordCodec.TryDecode(compact, out var canonical));
        Assert.Equal(post.Bytes.ToArray(), canonical);
    }

    [Fact]
    public void TryDecodeRecord_ChangedText_FailsTheSignature()
    {
        var vote = LoRaKit.Factory(LoRaKit.Alice, _clock).Vote("town", LoRaKit.SomeId, 1);
        var compact = CompactRecordCodec.Encode(vote);
        compact[^1] ^= 0x01; // the tail (the community, uncompressed for a record this small) changes

        var ok = CompactRecordCodec.TryDecodeRecord(compact, LoRaKit.Options(_clock), out _, out var error, out var rejection);

        Assert.False(ok);
        Assert.True(error != CompactRecordError.None || rejection is not null);
    }

    [Theory]
    [InlineData(new byte[0], CompactRecordError.Empty)]
    [InlineData(new byte[] { 0x20 }, CompactRecordError.UnsupportedFormat)] // a format bit this version does not know
    [InlineData(new byte[] { 0x07 }, CompactRecordError.UnknownKind)]
    [InlineData(new byte[] { 0x03, 1, 2, 3 }, CompactRecordError.Truncated)]
    [InlineData(new byte[] { 0x1B, 0xFF, 0xFF }, CompactRecordError.Decompression)] // raw form, compressed, garbage
    public void TryDecode_BadInput_ReturnsTheError(byte[] input, CompactRecordError expected)
    {
        Assert.Equal(expected, CompactRecordCodec.TryDecode(input, out var canonical));
        Assert.Empty(canonical);
    }

    [Fact]
    public void TryDecode_TagsOutOfOrder_Refused()
    {
        var vote = LoRaKit.Factory(LoRaKit.Alice, _clock).Vote("town", LoRaKit.SomeId, 1);
        var compact = CompactRecordCodec.Encode(vote);

        // After author, sig and created (5 bytes): target (tag 3, 20 bytes) then value (tag 8). Swap the tags' order.
        var binaryStart = 1 + 32 + 64 + 5;
        Assert.Equal(3, compact[binaryStart]);
        var swapped = compact.ToArray();
        swapped[binaryStart] = 8;
        swapped[binaryStart + 1 + 20] = 3;

        Assert.NotEqual(CompactRecordError.None, CompactRecordCodec.TryDecode(swapped, out _));
    }

    [Fact]
    public void Varint_RoundTripsAndRefusesOverlongForms()
    {
        Prop.ForAll<ulong>(value =>
        {
            Span<byte> buffer = stackalloc byte[Varint.MaxLength];
            var written = Varint.Write(buffer, value);
            return written == Varint.Length(value)
                && Varint.TryRead(buffer[..written], out var read, out var consumed)
                && read == value && consumed == written;
        }).QuickCheckThrowOnFailure();

        Assert.False(Varint.TryRead([0x80, 0x00], out _, out _)); // zero written in two bytes
        Assert.False(Varint.TryRead([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02], out _, out _)); // > 64 bits
        Assert.Equal(-1, Varint.UnZigZag(Varint.ZigZag(-1)));
        Assert.Equal(1UL, Varint.ZigZag(-1));
    }

    private SignedRecord Make(string which)
    {
        var alice = LoRaKit.Factory(LoRaKit.Alice, _clock);
        var post = alice.Post("town", "First tomatoes", "They are red.");
        return which switch
        {
            "identity" => alice.Identity("alice"),
            "identity-bio" => alice.Identity("alice", "Grows tomatoes.\nLives by the lake."),
            "post" => post,
            "comment" => alice.Comment("town", post.Id, post.Id, "Mine are still green."),
            "vote-up" => alice.Vote("town", post.Id, 1),
            "vote-down" => alice.Vote("town", post.Id, -1),
            "vote-withdrawn" => alice.Vote("town", post.Id, 0),
            "retract" => alice.Retract("town", post.Id),
            "edit" => alice.Retract("town", post.Id, LoRaKit.SomeId),
            "label-target" => alice.LabelRecord("spam", post.Id, null, "town", "Selling things."),
            "label-subject" => alice.LabelRecord("troll", null, LoRaKit.Bob.PublicKey),
            "charter" => alice.Charter("town", "Be kind.", [LoRaKit.Alice.PublicKey, LoRaKit.Bob.PublicKey], "Our town", 12),
            "charter-empty" => alice.Charter("quiet", string.Empty, []),
            _ => throw new ArgumentOutOfRangeException(nameof(which)),
        };
    }
}
