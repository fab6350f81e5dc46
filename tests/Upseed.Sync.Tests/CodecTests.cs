using Upseed.Metainfo;
using Upseed.Sync.Protocol;
using Upseed.Sync.Reconciliation;

namespace Upseed.Sync.Tests;

public sealed class CodecTests
{
    private static readonly SyncItem[] s_items = MakeItems();

    public static TheoryData<byte[]> Messages() => new(Corpus());

    private static List<byte[]> Corpus() =>
    [
        SyncMessageCodec.Encode(new SyncHello(1, "gardening")),
        SyncMessageCodec.Encode(new ReconcileRequest(3, Start: true, Final: false, 100, 2000, new byte[16], new byte[] { 0, 0, 1 })),
        SyncMessageCodec.Encode(new ReconcileRequest(4, Start: true, Final: true, 0, null, Enumerable.Range(0, 16).Select(i => (byte)i).ToArray(), default)),
        SyncMessageCodec.Encode(new ReconcileRequest(5, Start: false, Final: true, 0, null, default, new byte[] { 9 })),
        SyncMessageCodec.Encode(new ReconcileResponse(uint.MaxValue, new byte[] { 1, 2, 3 })),
        SyncMessageCodec.Encode(new RecordBatch(7, [new byte[] { 1, 2, 3 }, new byte[300]])),
        SyncMessageCodec.Encode(new RecordBatch(8, [])),
        SyncMessageCodec.Encode(new RecordBatchAck(8)),
        SyncMessageCodec.Encode(new RecordOffer([Id(1), Id(2)])),
        SyncMessageCodec.Encode(new RecordNeed([Id(3)])),
        SyncMessageCodec.Encode(new RecordNeed([])),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void SyncMessage_RoundTrips(byte[] encoded)
    {
        Assert.True(SyncMessageCodec.TryDecode(encoded, SyncCodecOptions.Default, out var message, out var error), error);
        Assert.Equal(encoded, SyncMessageCodec.Encode(message));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void SyncMessage_TruncatedOrExtended_IsRefused(byte[] encoded)
    {
        // Messages that end in a free-length tail (ranges) accept any cut; every other cut must be refused.
        var openEnded = encoded[0] is (byte)SyncMessageType.ReconcileRequest or (byte)SyncMessageType.ReconcileResponse;
        for (var length = 0; length < encoded.Length; length++)
        {
            var ok = SyncMessageCodec.TryDecode(encoded.AsMemory(0, length), SyncCodecOptions.Default, out _, out _);
            Assert.True(!ok || openEnded, $"a cut at {length} was accepted");
        }

        if (!openEnded)
        {
            Assert.False(SyncMessageCodec.TryDecode(encoded.Append((byte)0).ToArray(), SyncCodecOptions.Default, out _, out _));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0 })] // unknown type
    [InlineData(new byte[] { 8 })]
    [InlineData(new byte[] { 1, 1, 0 })] // empty community
    [InlineData(new byte[] { 1, 1, 2, (byte)'a', 0x07 })] // control character
    [InlineData(new byte[] { 2, 1, 4 })] // unknown flag
    [InlineData(new byte[] { 2, 1, 1, 10, 5 })] // window ends before it starts
    [InlineData(new byte[] { 4, 0, 1, 0 })] // empty record
    [InlineData(new byte[] { 5, 0x80, 0 })] // padded varint
    [InlineData(new byte[] { 6, 1, 1, 2, 3 })] // id cut short
    public void SyncMessage_Malformed_IsRefused(byte[] bytes) =>
        Assert.False(SyncMessageCodec.TryDecode(bytes, SyncCodecOptions.Default, out _, out _));

    [Fact]
    public void SyncMessage_OverLimits_IsRefusedBeforeAllocating()
    {
        // A batch claiming 2^32 records, and an offer claiming a million ids, in a few bytes.
        Assert.False(SyncMessageCodec.TryDecode(new byte[] { 4, 0, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F }, SyncCodecOptions.Default, out _, out _));
        Assert.False(SyncMessageCodec.TryDecode(new byte[] { 6, 0xBD, 0x84, 0x40 }, SyncCodecOptions.Default, out _, out _));
        Assert.False(SyncMessageCodec.TryDecode(new byte[SyncCodecOptions.Default.MaxMessageBytes + 1], SyncCodecOptions.Default, out _, out _));
    }

    [Fact]
    public void Ranges_RoundTrip()
    {
        var ranges = new List<ReconcileRange>
        {
            new(new SyncBound(5, default, 0), RangeMode.Skip, default, []),
            new(new SyncBound(1_700_000_000, Id(9), 3), RangeMode.Summary, new RangeSummary(12, 0xABCDEF012345, 0x123456), []),
            new(new SyncBound(1_700_000_000, Id(10), 20), RangeMode.HashList, default, [1, 2, 0xFFFFFFFFFFFF]),
            new(new SyncBound(1_700_000_100, default, 0), RangeMode.NeedIndexes, default, [0, 5, 6, 300]),
            new(SyncBound.Infinity, RangeMode.NeedHashes, default, [42]),
        };
        var bytes = ReconcileCodec.Encode(ranges);
        Assert.Equal(ranges, ReconcileCodec.Decode(bytes));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 1, 0, 0 })] // a range after infinity
    [InlineData(new byte[] { 2, 0, 0, 1, 0, 0 })] // bounds not ascending (2 then 2)
    [InlineData(new byte[] { 2, 0, 9 })] // unknown mode
    [InlineData(new byte[] { 2, 21 })] // prefix over 20 bytes
    [InlineData(new byte[] { 0, 1, 5, 0 })] // infinity with a prefix
    [InlineData(new byte[] { 2, 0, 2, 0xFF, 0xFF, 0x7F })] // hash list longer than the message
    [InlineData(new byte[] { 2, 0, 1, 3, 1, 2 })] // summary cut short
    public void Ranges_Malformed_Throw(byte[] bytes) =>
        Assert.Throws<SyncProtocolException>(() => ReconcileCodec.Decode(bytes));

    [Fact]
    public void Fuzz_RandomAndMutated_NeverCrash() => Fuzz(iterations: 20_000, seed: 5151);

    [Fact]
    [Trait("Category", "LongFuzz")]
    public void Fuzz_Long() => Fuzz(
        iterations: int.TryParse(Environment.GetEnvironmentVariable("UPSEED_FUZZ_ITERATIONS"), out var n) ? n : 1_000_000,
        seed: int.TryParse(Environment.GetEnvironmentVariable("UPSEED_FUZZ_SEED"), out var s) ? s : 77);

    /// <summary>
    /// Random and mutated sync messages and reconciliation messages: the decoders either accept or refuse (a false
    /// return, a <see cref="SyncProtocolException"/>), and a reconciler fed them never throws anything else.
    /// </summary>
    private static void Fuzz(int iterations, int seed)
    {
        var random = new Random(seed);
        var corpus = Corpus();
        var salt = new byte[16];
        var set = new SyncItemSet(s_items, salt);
        var initiator = new Reconciler(new SyncItemSet(s_items[..150], salt), isInitiator: true);
        corpus.Add(initiator.Initiate().ToArray());
        var responder = new Reconciler(set, isInitiator: false);
        corpus.Add(responder.Process(corpus[^1], []).Message.ToArray());
        var haves = new List<int>();
        for (var i = 0; i < iterations; i++)
        {
            var input = i % 4 == 0 ? RandomBytes(random) : Mutate(random, corpus[random.Next(corpus.Count)]);
            if (SyncMessageCodec.TryDecode(input, SyncCodecOptions.Default, out var message, out _))
            {
                Assert.NotNull(message);
                SyncMessageCodec.Encode(message);
            }

            try
            {
                ReconcileCodec.Decode(input);
            }
            catch (SyncProtocolException)
            {
            }

            try
            {
                haves.Clear();
                var answer = new Reconciler(set, isInitiator: false).Process(input, haves);
                Assert.All(haves, h => Assert.InRange(h, 0, set.Count - 1));
                ReconcileCodec.Decode(answer.Message.Span); // what we write, we read back
            }
            catch (SyncProtocolException)
            {
            }
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] source)
    {
        var bytes = source.ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            switch (random.Next(4))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 1 when bytes.Count > 0:
                    bytes.RemoveAt(random.Next(bytes.Count));
                    break;
                case 2:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                default:
                    bytes = bytes.Take(random.Next(bytes.Count + 1)).ToList();
                    break;
            }
        }

        return [.. bytes];
    }

    private static InfoHash Id(int n)
    {
        var bytes = new byte[20];
        BitConverter.TryWriteBytes(bytes, n * 2654435761u);
        bytes[19] = (byte)n;
        return new InfoHash(bytes);
    }

    private static SyncItem[] MakeItems()
    {
        var random = new Random(3);
        return ReconcileHarness.Sorted(Enumerable.Range(0, 300).Select(_ => new SyncItem((ulong)random.Next(1000, 1100), ReconcileHarness.RandomId(random))));
    }
}
