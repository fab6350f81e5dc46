using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Upseed.Meshtastic.Framing;
using Upseed.Meshtastic.Protobufs;

namespace Upseed.Meshtastic.Tests;

public sealed class StreamFramingTests
{
    // ToRadio{want_config_id = 0x12345678}: field 3 varint (tag 0x18), 0x12345678 as a varint is f8 ac d1 91 01;
    // framed with 0x94 0xC3 and the length 6 big-endian [firmware StreamAPI].
    private static readonly byte[] s_wantConfigFrame = [0x94, 0xC3, 0x00, 0x06, 0x18, 0xF8, 0xAC, 0xD1, 0x91, 0x01];

    [Fact]
    public void WriteFrame_WantConfigId_MatchesHandEncodedBytes()
    {
        Assert.Equal(s_wantConfigFrame, MeshtasticCodec.ToFrame(new ToRadio { WantConfigId = 0x12345678 }));
    }

    [Fact]
    public void TryReadFrame_GoldenFrame_ReturnsPayload()
    {
        var status = StreamFraming.TryReadFrame(s_wantConfigFrame, out var consumed, out var offset, out var length, out var error);
        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(10, consumed);
        Assert.Equal((4, 6, StreamFrameError.None), (offset, length, error));
        Assert.True(MeshtasticCodec.TryDecodeToRadio(s_wantConfigFrame.AsSpan(offset, length), out var message));
        Assert.Equal(0x12345678u, message!.WantConfigId);
    }

    [Fact]
    public void TryReadFrame_EveryTruncation_NeedsMoreData()
    {
        for (var cut = 0; cut < s_wantConfigFrame.Length; cut++)
        {
            var status = StreamFraming.TryReadFrame(s_wantConfigFrame.AsSpan(0, cut), out var consumed, out _, out _, out _);
            Assert.Equal(OperationStatus.NeedMoreData, status);
            Assert.Equal(0, consumed);
        }
    }

    [Fact]
    public void TryReadFrame_LengthOver512_SkipsOneByteAndResyncs()
    {
        // 0x94 0xC3 with length 0x0201 (513) is not a frame start; the real frame right after it must still be found.
        byte[] input = [0x94, 0xC3, 0x02, 0x01, .. s_wantConfigFrame];
        var status = StreamFraming.TryReadFrame(input, out var consumed, out _, out _, out var error);
        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(StreamFrameError.LengthTooLarge, error);
        Assert.Equal(1, consumed);
        Assert.Equal([s_wantConfigFrame[4..]], ReadAll(input, out _));
    }

    [Fact]
    public void TryReadFrame_Exactly512_IsAFrame()
    {
        var frame = new byte[StreamFraming.MaxFrameSize];
        StreamFraming.WriteFrame(new byte[512], frame);
        Assert.Equal(OperationStatus.Done, StreamFraming.TryReadFrame(frame, out var consumed, out _, out var length, out _));
        Assert.Equal((516, 512), (consumed, length));
    }

    [Fact]
    public void WriteFrame_PayloadOver512_Throws()
    {
        Assert.Throws<ArgumentException>(() => StreamFraming.WriteFrame(new byte[513], new byte[600]));
        Assert.Throws<ArgumentException>(() => MeshtasticCodec.ToFrame(new ToRadio { Packet = new MeshPacket { Encrypted = Google.Protobuf.ByteString.CopyFrom(new byte[520]) } }));
    }

    [Fact]
    public void Buffer_DebugTextBetweenFrames_YieldsFramesAndCountsNoise()
    {
        var text = Encoding.ASCII.GetBytes("INFO  | 12:00:00 1 [Router] Received text msg from=0x1a2b3c4d\r\n\u0094 stray\n");
        var second = MeshtasticCodec.ToFrame(new ToRadio { Heartbeat = new Heartbeat { Nonce = 9 } });
        byte[] input = [.. text, .. s_wantConfigFrame, .. text, .. second, .. text];
        var frames = ReadAll(input, out var noise);
        Assert.Equal(2, frames.Count);
        Assert.Equal(s_wantConfigFrame[4..], frames[0]);
        Assert.Equal(second[4..], frames[1]);
        Assert.Equal(3 * text.Length, noise);
    }

    [Fact]
    public void Buffer_InputSplitAtEveryBoundary_YieldsTheSameFrames()
    {
        var frames = new[]
        {
            MeshtasticCodec.ToFrame(new ToRadio { WantConfigId = 1 }),
            MeshtasticCodec.ToFrame(new ToRadio { Packet = new MeshPacket { To = 0xFFFFFFFF, Decoded = new Data { Portnum = (PortNum)300, Payload = Google.Protobuf.ByteString.CopyFrom(new byte[233]) } } }),
            MeshtasticCodec.ToFrame(new ToRadio { Disconnect = true }),
        };
        byte[] all = [.. "boot\n"u8, .. frames[0], .. frames[1], .. "x"u8, .. frames[2]];
        var expected = frames.Select(f => f[4..]).ToList();
        for (var split = 0; split <= all.Length; split++)
        {
            Assert.Equal(expected, ReadInPieces(all, [split]));
        }
    }

    [Fact]
    public void Buffer_ByteAtATime_YieldsTheSameFrames()
    {
        var frame = MeshtasticCodec.ToFrame(new ToRadio { Heartbeat = new Heartbeat() });
        byte[] all = [.. frame, .. "noise"u8, .. frame, .. frame];
        Assert.Equal(3, ReadInPieces(all, Enumerable.Range(1, all.Length).ToArray()).Count);
    }

    [Fact]
    public void Property_FramesSurroundedByNoiseWithoutStartByte_AreAllFound()
    {
        var gen =
            from payloads in Gen.ListOf(Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Where(p => p.Length <= 512))
            from noise in Gen.ListOf(Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>().Where(b => b != StreamFraming.Start1)))
            select (payloads, noise);
        Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var (payloads, noise) = input;
            var stream = new List<byte>();
            for (var i = 0; i < payloads.Count; i++)
            {
                if (i < noise.Count)
                {
                    stream.AddRange(noise[i]);
                }

                var frame = new byte[payloads[i].Length + 4];
                StreamFraming.WriteFrame(payloads[i], frame);
                stream.AddRange(frame);
            }

            var found = ReadAll(stream.ToArray(), out _);
            return found.Count == payloads.Count && found.Zip(payloads).All(p => p.First.SequenceEqual(p.Second));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Fuzz_RandomAndMutatedInput_NeverThrowsAndAlwaysProgresses() => Fuzz(iterations: 3_000, seed: 8_2025);

    [Fact]
    [Trait("Category", "LongFuzz")]
    public void LongFuzz_RandomAndMutatedInput_NeverThrowsAndAlwaysProgresses() =>
        Fuzz(int.Parse(Environment.GetEnvironmentVariable("UPSEED_FUZZ_ITERATIONS") ?? "300000", System.Globalization.CultureInfo.InvariantCulture), seed: 4242);

    /// <summary>
    /// Random bytes, valid streams with bytes flipped, cut short or shuffled, fed in random pieces: the decoder never
    /// throws, each call makes progress or asks for more, no payload exceeds 512, and FromRadio decoding of whatever
    /// comes out never throws either.
    /// </summary>
    private static void Fuzz(int iterations, int seed)
    {
        var random = new Random(seed);
        var valid = new List<byte>();
        foreach (var message in SampleMessages())
        {
            valid.AddRange(MeshtasticCodec.ToFrame(message));
            valid.AddRange("DEBUG | log line\r\n"u8.ToArray());
        }

        for (var i = 0; i < iterations; i++)
        {
            byte[] input;
            switch (i % 4)
            {
                case 0:
                    input = new byte[random.Next(0, 2048)];
                    random.NextBytes(input);
                    break;
                case 1:
                    input = [.. valid];
                    for (var flips = random.Next(1, 8); flips > 0; flips--)
                    {
                        input[random.Next(input.Length)] = (byte)random.Next(256);
                    }

                    break;
                case 2:
                    input = valid.Take(random.Next(valid.Count)).ToArray();
                    break;
                default:
                    // Mixed-up pieces of valid frames.
                    var pieces = valid.Chunk(random.Next(1, 40)).OrderBy(_ => random.Next()).SelectMany(c => c);
                    input = [.. pieces];
                    break;
            }

            var cuts = Enumerable.Range(0, random.Next(0, 6)).Select(_ => random.Next(input.Length + 1)).Order().ToArray();
            foreach (var payload in ReadInPieces(input, cuts))
            {
                Assert.True(payload.Length <= StreamFraming.MaxPayloadLength);
                _ = MeshtasticCodec.TryDecodeFromRadio(payload, out _);
                _ = MeshtasticCodec.TryDecodeToRadio(payload, out _);
            }

            for (var offset = 0; offset < input.Length;)
            {
                var status = StreamFraming.TryReadFrame(input.AsSpan(offset), out var consumed, out _, out var length, out _);
                if (status == OperationStatus.NeedMoreData)
                {
                    Assert.Equal(0, consumed);
                    break;
                }

                Assert.True(consumed > 0);
                Assert.True(length <= StreamFraming.MaxPayloadLength);
                offset += consumed;
            }
        }
    }

    internal static IEnumerable<Google.Protobuf.IMessage> SampleMessages()
    {
        yield return new ToRadio { WantConfigId = 0xCAFEF00D };
        yield return new ToRadio { Heartbeat = new Heartbeat() };
        yield return new FromRadio { MyInfo = new MyNodeInfo { MyNodeNum = 0xB0C5B0C5 } };
        yield return new FromRadio
        {
            Packet = new MeshPacket { From = 1, To = 2, Id = 3, HopLimit = 3, Decoded = new Data { Portnum = PortNum.TextMessageApp, Payload = Google.Protobuf.ByteString.CopyFromUtf8("top town week") } },
        };
        yield return new FromRadio { ConfigCompleteId = 77 };
    }

    private static List<byte[]> ReadAll(byte[] input, out int noise) => ReadInPieces(input, [], out noise);

    private static List<byte[]> ReadInPieces(byte[] input, int[] cuts) => ReadInPieces(input, cuts, out _);

    private static List<byte[]> ReadInPieces(byte[] input, int[] cuts, out int noise)
    {
        using var buffer = new StreamFrameBuffer();
        var found = new List<byte[]>();
        noise = 0;
        var start = 0;
        foreach (var end in cuts.Append(input.Length))
        {
            var position = start;
            while (position < end)
            {
                var memory = buffer.GetWriteMemory();
                var count = Math.Min(memory.Length, end - position);
                input.AsSpan(position, count).CopyTo(memory.Span);
                buffer.Advance(count);
                position += count;
                while (true)
                {
                    var status = buffer.Read(out var payload, out var skipped, out _);
                    if (status == OperationStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (status == OperationStatus.Done)
                    {
                        found.Add(payload.ToArray());
                    }
                    else
                    {
                        noise += skipped.Length;
                    }
                }
            }

            start = Math.Max(start, end);
        }

        return found;
    }
}
