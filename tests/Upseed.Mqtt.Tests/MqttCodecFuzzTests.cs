using FsCheck;
using FsCheck.Fluent;
using System.Buffers;
using System.Globalization;
using Upseed.Mqtt.Formatter;
using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Tests;

/// <summary>
/// Random and mutated packets through the decoder: it either decodes, asks for more bytes, or throws
/// <see cref="MqttProtocolException"/>; anything else (an index error, an overflow, a hang) fails. What it decodes
/// re-encodes to bytes that decode to the same packet.
/// </summary>
public sealed class MqttCodecFuzzTests
{
    private static readonly MqttCodecOptions s_options = new() { MaxPacketSize = 64 * 1024 };

    [Fact]
    public async Task Fuzz_RandomAndMutated_DefaultSuite() => await RunAsync(seed: 7_311, iterations: 40_000);

    [Fact]
    [Trait("Category", "LongFuzz")]
    public async Task Fuzz_RandomAndMutated_Long() =>
        await RunAsync(
            seed: ReadEnvironment("UPSEED_FUZZ_SEED", 20_250_101),
            iterations: ReadEnvironment("UPSEED_FUZZ_ITERATIONS", 1_000_000));

    [Fact]
    public void FsCheck_ArbitraryBytes_OnlyProtocolErrors()
    {
        // Fixed FsCheck seed, so every run checks the same cases.
        var config = Config.QuickThrowOnFailure.WithMaxTest(2_000).WithReplay(0x6d71_7474UL, 0x9e37_79b9_7f4a_7c15UL);
        Prop.ForAll<byte[]>(bytes =>
        {
            foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
            {
                DecodeOne(bytes, version);
            }
        }).Check(config);
    }

    private static async Task RunAsync(int seed, int iterations)
    {
        var seeds = CodecSamples.All.Select(s => (Bytes: MqttPacketCodec.Encode(s.Packet, s.Version), s.Version)).ToArray();
        var run = Task.Run(() =>
        {
            var random = new Random(seed);
            var outcomes = new Dictionary<string, int>();
            for (var i = 0; i < iterations; i++)
            {
                byte[] input;
                MqttProtocolVersion version;
                if (i % 4 == 0)
                {
                    input = new byte[random.Next(0, 64)];
                    random.NextBytes(input);
                    version = random.Next(2) == 0 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500;
                }
                else
                {
                    var (bytes, v) = seeds[random.Next(seeds.Length)];
                    input = Mutate(bytes, random);
                    version = v;
                }

                var outcome = DecodeOne(input, version);
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }

            return outcomes;
        });
        var outcomes = await run.WaitAsync(TimeSpan.FromMinutes(10));
        // The mutations must reach both sides: some inputs decode, many are refused for several reasons.
        Assert.True(outcomes.GetValueOrDefault("decoded") > 0, string.Join(", ", outcomes));
        Assert.True(outcomes.Keys.Count(k => k.StartsWith("error:", StringComparison.Ordinal)) >= 8, string.Join(", ", outcomes));
    }

    private static string DecodeOne(byte[] input, MqttProtocolVersion version)
    {
        try
        {
            var status = MqttPacketCodec.TryDecode(input, version, s_options, out var packet, out var consumed);
            if (status != OperationStatus.Done)
            {
                return "need-more";
            }

            Assert.InRange(consumed, 2, input.Length);
            var again = MqttPacketCodec.Encode(packet!, version);
            Assert.Equal(OperationStatus.Done, MqttPacketCodec.TryDecode(again, version, s_options, out var reread, out _));
            Assert.Equal(Convert.ToHexString(again), Convert.ToHexString(MqttPacketCodec.Encode(reread!, version)));
            return "decoded";
        }
        catch (MqttProtocolException ex)
        {
            return "error:" + ex.Error;
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"Input {Convert.ToHexString(input)} ({version}): {ex.Message}", ex);
        }
    }

    private static byte[] Mutate(byte[] bytes, Random random)
    {
        var list = bytes.ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            switch (random.Next(6))
            {
                case 0 when list.Count > 0:
                    list[random.Next(list.Count)] = (byte)random.Next(256);
                    break;
                case 1 when list.Count > 0:
                    list[random.Next(list.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 2 when list.Count > 0:
                    list.RemoveAt(random.Next(list.Count));
                    break;
                case 3:
                    list.Insert(random.Next(list.Count + 1), (byte)random.Next(256));
                    break;
                case 4 when list.Count > 2:
                    list.RemoveRange(random.Next(list.Count), 1);
                    list[1] = (byte)list.Count; // keep the length plausible so the body parser runs
                    break;
                default:
                    if (list.Count > 0)
                    {
                        list.RemoveRange(random.Next(list.Count), list.Count - random.Next(list.Count) > 0 ? 1 : 0);
                    }

                    break;
            }
        }

        return [.. list];
    }

    private static int ReadEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
