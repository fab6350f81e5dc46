using System.Diagnostics;
using System.Net.Sockets;
using Upseed.Torrent.Trackers;
using static Upseed.Torrent.Tests.Trackers.TrackerTestData;

namespace Upseed.Torrent.Tests.Trackers;

/// <summary>
/// Random and mutated replies through every parser: each one either parses or throws <see cref="TrackerException"/>,
/// nothing else. Fixed seeds, so a failure reproduces; each test stays well under a second.
/// </summary>
public class TrackerCodecFuzzTests
{
    private const int Iterations = 20_000;

    private static readonly byte[][] s_httpSeeds =
    [
        Concat(Ascii("d8:completei1e10:downloadedi0e10:incompletei1e8:intervali1686e12:min intervali843e5:peers12:"),
            [0x7F, 0, 0, 1, 0x1A, 0xE1, 0x7F, 0, 0, 1, 0x1A, 0xE2], Ascii("e")),
        Ascii("d8:intervali900e5:peersld2:ip9:10.0.0.257:peer id20:-XX0001-aaaaaaaaaaaa4:porti6881eed2:ip11:2001:db8::14:porti51413eeee"),
        Concat(Ascii("d8:intervali60e5:peers6:"), [192, 0, 2, 1, 0x1A, 0xE1], Ascii("6:peers618:"), new byte[16], [0xC8, 0xD5], Ascii("e")),
        Ascii("d14:failure reason63:Requested download is not authorized for use with this tracker.e"),
        Ascii("d5:filesd20:xxxxxxxxxxxxxxxxxxxxd8:completei11e10:downloadedi13772e10:incompletei19eee"
            + "20:yyyyyyyyyyyyyyyyyyyyd8:completei21e10:downloadedi206e10:incompletei20eeee"),
    ];

    private static readonly byte[][] s_udpSeeds =
    [
        Convert.FromHexString("0000000000000007c7a38bd81cf44aff"),
        Convert.FromHexString("0000000100000009000006cb00000002000000007f0000011b597f0000011b5a"),
        Convert.FromHexString("000000020000000b000000000000000000000002000000000000000000000000"),
        Convert.FromHexString("000000030000000b436f6e6e656374696f6e204944206d6973736d617463682e00"),
    ];

    [Fact]
    public void HttpParsers_RandomBytes_OnlyTrackerException() =>
        Fuzz(seed: 3_1415, RandomBytes, ParseHttp);

    [Fact]
    public void HttpParsers_MutatedReplies_OnlyTrackerException() =>
        Fuzz(seed: 2_7182, random => Mutate(random, s_httpSeeds), ParseHttp);

    [Fact]
    public void UdpParsers_RandomBytes_OnlyTrackerException() =>
        Fuzz(seed: 1_4142, RandomBytes, ParseUdp);

    [Fact]
    public void UdpParsers_MutatedReplies_OnlyTrackerException() =>
        Fuzz(seed: 1_7320, random => Mutate(random, s_udpSeeds), ParseUdp);

    private static void Fuzz(int seed, Func<Random, byte[]> generate, Action<byte[]> parse)
    {
        var random = new Random(seed);
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++)
        {
            var input = generate(random);
            try
            {
                parse(input);
            }
            catch (TrackerException)
            {
            }
            catch (Exception ex)
            {
                Assert.Fail($"Iteration {i} (seed {seed}) threw {ex.GetType().Name} for {Convert.ToHexString(input)}: {ex}");
            }
        }

    }

    private static void ParseHttp(byte[] input)
    {
        Try(() => HttpTrackerCodec.ParseAnnounceResponse(input));
        HttpTrackerCodec.ParseScrapeResponse(input);
    }

    private static void ParseUdp(byte[] input)
    {
        Try(() => UdpTrackerCodec.ReadConnectResponse(input));
        Try(() => UdpTrackerCodec.ReadAnnounceResponse(input, AddressFamily.InterNetwork));
        Try(() => UdpTrackerCodec.ReadAnnounceResponse(input, AddressFamily.InterNetworkV6));
        Try(() => UdpTrackerCodec.ReadScrapeResponse(input, 2));
        Try(() => UdpTrackerCodec.ReadErrorMessage(input));
        UdpTrackerCodec.TryReadHeader(input, out _, out _);
    }

    // Runs one parser and lets only TrackerException pass, so each parser in a group gets every input.
    private static void Try(Action parse)
    {
        try
        {
            parse();
        }
        catch (TrackerException)
        {
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);

        // Half the time start like a dictionary, so the bencode paths past the first byte get exercised.
        if (bytes.Length > 0 && random.Next(2) == 0)
        {
            bytes[0] = (byte)'d';
        }

        return bytes;
    }

    private static byte[] Mutate(Random random, byte[][] seeds)
    {
        var bytes = seeds[random.Next(seeds.Length)].ToList();
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations; m++)
        {
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0: // flip a byte
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 1 when bytes.Count > 0: // truncate
                    bytes = bytes.Take(random.Next(bytes.Count + 1)).ToList();
                    break;
                case 2: // insert a structural or digit byte
                    bytes.Insert(random.Next(bytes.Count + 1), "die:0123456789-"u8[random.Next(15)]);
                    break;
                case 3 when bytes.Count > 1: // duplicate a slice
                    var start = random.Next(bytes.Count);
                    var length = random.Next(1, Math.Min(24, bytes.Count - start) + 1);
                    bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(start, length));
                    break;
                default: // drop a byte
                    if (bytes.Count > 0)
                    {
                        bytes.RemoveAt(random.Next(bytes.Count));
                    }

                    break;
            }
        }

        return bytes.ToArray();
    }
}
