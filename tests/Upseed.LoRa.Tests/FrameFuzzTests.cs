using Upseed.LoRa.Frames;
using Upseed.LoRa.Radio;
using Upseed.Records;

namespace Upseed.LoRa.Tests;

/// <summary>
/// Random, truncated, mutated and mixed-up fragments from different messages: the frame decoder, the assembler and
/// the compact decoder never throw, and nothing they yield passes validation unless it is one of the records that
/// were really sent (signature checked by <see cref="RecordCodec.TryParse"/>).
/// </summary>
public class FrameFuzzTests
{
    private readonly FixedClock _clock = new();

    [Fact]
    public void RandomPayloads_NeverThrowNorYieldARecord() => RandomPayloads(iterations: 20_000, seed: 1);

    [Fact]
    public void MixedUpFragments_NeverYieldARecordWhoseSignatureFails() => MixedUp(rounds: 300, seed: 2);

    [Fact]
    [Trait("Category", "LongFuzz")]
    public void MixedUpFragments_Long() => MixedUp(rounds: FuzzIterations(20_000), seed: FuzzSeed());

    [Fact]
    [Trait("Category", "LongFuzz")]
    public void RandomPayloads_Long() => RandomPayloads(iterations: FuzzIterations(1_000_000), seed: FuzzSeed());

    [Fact]
    public void RandomCompactBytes_NeverThrow()
    {
        var random = new Random(3);
        var options = LoRaKit.Options(_clock);
        var real = CompactRecordCodec.Encode(LoRaKit.Factory(LoRaKit.Alice, _clock).Vote("town", LoRaKit.SomeId, 1));
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(1, 300)];
                random.NextBytes(input);
                input[0] &= 0x1F; // mostly valid headers, so the field decoder is reached
            }
            else
            {
                input = real.ToArray();
                for (var m = random.Next(1, 4); m > 0; m--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }

                input = input[..random.Next(1, input.Length + 1)];
            }

            if (CompactRecordCodec.TryDecodeRecord(input, options, out var record, out _, out _))
            {
                Assert.Equal(real, input); // only the unchanged bytes decode to a valid record
                Assert.Equal(LoRaKit.Alice.PublicKey, record.Author.ToArray());
            }
        }
    }

    private void RandomPayloads(int iterations, int seed)
    {
        var random = new Random(seed);
        var assembler = new FrameAssembler(clock: _clock);
        var options = LoRaKit.Options(_clock);
        for (var i = 0; i < iterations; i++)
        {
            var payload = new byte[random.Next(0, 240)];
            random.NextBytes(payload);
            if (i % 3 == 0 && payload.Length > 0)
            {
                payload[0] = (byte)((payload[0] & 0x0F) | 0x10); // a fragment header, to reach the assembler
            }

            if (MeshFrameCodec.TryRead(payload, out var frame) != MeshFrameError.None)
            {
                continue;
            }

            if (frame.Type == MeshFrameType.Have)
            {
                _ = MeshFrameCodec.ReadHave(frame);
            }
            else if (frame.Type == MeshFrameType.Want)
            {
                _ = MeshFrameCodec.ReadWant(frame);
            }
            else if (assembler.Add(frame, out var message, out _) == AssemblyStatus.Completed)
            {
                Assert.False(CompactRecordCodec.TryDecodeRecord(message!, options, out _, out _, out _));
            }
        }
    }

    private void MixedUp(int rounds, int seed)
    {
        var random = new Random(seed);
        var options = LoRaKit.Options(_clock);
        var alice = LoRaKit.Factory(LoRaKit.Alice, _clock);
        var records = new List<SignedRecord>();
        foreach (var (title, body) in LoRaKit.Corpus().Take(6))
        {
            var post = alice.Post("town", title, body);
            records.Add(post);
            records.Add(alice.Vote("town", post.Id, 1));
        }

        var originals = records.Select(r => Convert.ToHexString(r.Bytes.Span)).ToHashSet();
        var messages = records.Select(r => (Id: MeshFrameCodec.MessageIdOf(r.Id), Compact: CompactRecordCodec.Encode(r))).ToList();
        var recovered = 0;
        for (var round = 0; round < rounds; round++)
        {
            var pool = new List<byte[]>();
            foreach (var (id, compact) in messages)
            {
                Assert.True(MeshFrameCodec.TryFragment(compact, id, random.Next(16), RadioLinkDefaults.MaxPayloadSize, out var frames));
                pool.AddRange(frames.Select(f => f.ToArray()));
            }

            var ids = messages.Select(m => m.Id).ToArray();
            var mixed = new List<byte[]>();
            foreach (var frame in pool)
            {
                switch (random.Next(8))
                {
                    case 0: // lost
                        break;
                    case 1: // heard twice
                        mixed.Add(frame);
                        mixed.Add(frame.ToArray());
                        break;
                    case 2: // cut short
                        mixed.Add(frame[..random.Next(1, frame.Length)]);
                        break;
                    case 3: // a byte changed
                        var changed = frame.ToArray();
                        changed[random.Next(changed.Length)] ^= (byte)random.Next(1, 256);
                        mixed.Add(changed);
                        break;
                    case 4: // labelled as another message (an id collision)
                        var relabelled = frame.ToArray();
                        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(relabelled.AsSpan(1), ids[random.Next(ids.Length)]);
                        mixed.Add(relabelled);
                        break;
                    default:
                        mixed.Add(frame);
                        break;
                }
            }

            // Every round with a fresh assembler, fragments in random order.
            var assembler = new FrameAssembler(clock: _clock);
            foreach (var payload in mixed.OrderBy(_ => random.Next()))
            {
                if (MeshFrameCodec.TryRead(payload, out var frame) != MeshFrameError.None
                    || assembler.Add(frame, out var message, out _) != AssemblyStatus.Completed)
                {
                    continue;
                }

                if (CompactRecordCodec.TryDecodeRecord(message!, options, out var record, out _, out _))
                {
                    Assert.Contains(Convert.ToHexString(record.Bytes.Span), originals);
                    Assert.Null(RecordCodec.Authenticate(record, LoRaKit.Work));
                    recovered++;
                }
            }
        }

        Assert.True(recovered > 0, "some records survive the mix (the test reaches the record decoder)");
    }

    private static int FuzzIterations(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("UPSEED_FUZZ_ITERATIONS"), out var n) ? n : fallback;

    private static int FuzzSeed() =>
        int.TryParse(Environment.GetEnvironmentVariable("UPSEED_FUZZ_SEED"), out var n) ? n : Environment.TickCount;
}
