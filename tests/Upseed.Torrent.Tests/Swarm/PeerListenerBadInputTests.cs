using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Upseed.Torrent.Extensions;
using Upseed.Torrent.Swarm;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Tests.Swarm;

/// <summary>
/// Issue 3, "Bad input": each bad peer is disconnected with a logged reason and counted, and the node keeps serving
/// the good peer downloading next to it.
/// </summary>
public class PeerListenerBadInputTests
{
    // 40,000 bytes in 16 KiB pieces: 16,384, 16,384 and 7,232 bytes.
    private static readonly SeedableTorrent s_torrent = TestCatalog.Torrent("post.bin", 40_000, seed: 3);

    public static TheoryData<string> AfterUnchokeCases =>
    [
        "piece index past the end",
        "begin + length past the piece",
        "begin + length past the short last piece",
        "length over 16 KiB",
        "zero length",
        "length prefix 0x7FFFFFFF",
        "length prefix 0xFFFFFFFF",
        "have with 3-byte payload",
        "random bytes",
    ];

    [Theory]
    [MemberData(nameof(AfterUnchokeCases))]
    public async Task BadMessage_AfterUnchoke_ClosesOnlyThatConnection(string name)
    {
        await using var node = TestNode.Start(null, s_torrent);
        var (bad, _) = await RawPeer.HandshakeAsync(node.EndPoint, s_torrent.InfoHash);
        await using var _ = bad;
        await bad.ReadUntilAsync<BitfieldMessage>();
        await bad.SendAsync(InterestedMessage.Instance);
        await bad.ReadUntilAsync<UnchokeMessage>();
        var good = TestNode.DownloadAsync(node.EndPoint, s_torrent);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        await bad.SendRawAsync(AfterUnchoke(name));

        Assert.True(await bad.WaitForCloseAsync(), "the node kept the bad connection open");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore < 1L << 30, "the node allocated what the length prefix asked for");
        Assert.Equal(s_torrent.Content.ToArray(), await good);
        Assert.Equal(s_torrent.Content.ToArray(), await TestNode.DownloadAsync(node.EndPoint, s_torrent));
        await Eventually.TrueAsync(() => node.Counters.ProtocolErrors == 1, RawPeer.DefaultTimeout, "ProtocolErrors == 1");
        Assert.Contains(node.Logger.Entries, e => e.Message.Contains("disconnected", StringComparison.Ordinal));
        node.AssertNoErrorsLogged();
    }

    public static TheoryData<string> BeforeHandshakeCases =>
    [
        "HTTP request",
        "protocol string length 18",
        "protocol string misspelt",
        "random bytes",
    ];

    [Theory]
    [MemberData(nameof(BeforeHandshakeCases))]
    public async Task Garbage_InsteadOfHandshake_ClosedWithoutReply(string name)
    {
        await using var node = TestNode.Start(null, s_torrent);
        await using var bad = await RawPeer.ConnectAsync(node.EndPoint);
        var good = TestNode.DownloadAsync(node.EndPoint, s_torrent);

        await bad.SendRawAsync(InsteadOfHandshake(name));

        Assert.Equal(0, await bad.BytesUntilCloseAsync());
        Assert.Equal(s_torrent.Content.ToArray(), await good);
        await Eventually.TrueAsync(() => node.Counters.ProtocolErrors == 1, RawPeer.DefaultTimeout, "ProtocolErrors == 1");
        Assert.Contains(node.Logger.Entries, e => e.Message.Contains("bad handshake", StringComparison.Ordinal));
        node.AssertNoErrorsLogged();
    }

    [Fact]
    public async Task Handshake_ThenRandomBytes_ClosesOnlyThatConnection()
    {
        await using var node = TestNode.Start(null, s_torrent);
        await using var bad = await RawPeer.ConnectAsync(node.EndPoint);
        var good = TestNode.DownloadAsync(node.EndPoint, s_torrent);

        // Seeded; the first byte makes the first length prefix at least 2^30, over the limit on every run.
        await bad.SendHandshakeAsync(s_torrent.InfoHash);
        byte[] noise = [0x40, .. TestCatalog.Content(1024, seed: 12)];
        await bad.SendRawAsync(noise);

        Assert.Equal(s_torrent.InfoHash, (await bad.ReadHandshakeAsync()).InfoHash);
        Assert.True(await bad.WaitForCloseAsync(), "the node kept the bad connection open");
        Assert.Equal(s_torrent.Content.ToArray(), await good);
        await Eventually.TrueAsync(() => node.Counters.ProtocolErrors == 1, RawPeer.DefaultTimeout, "ProtocolErrors == 1");
        Assert.True(node.Logger.Logged("message length prefix over the limit"));
        node.AssertNoErrorsLogged();
    }

    [Fact]
    public async Task Fuzz_300ConnectionsOfRandomAndMutatedBytes_EachClosedAndNodeKeepsServing()
    {
        const int Connections = 300;
        var random = new Random(20_240_603);
        var inputs = Enumerable.Range(0, Connections).Select(i => FuzzInput(random, i)).ToList();
        await using var node = TestNode.Start(null, s_torrent);
        var good = TestNode.DownloadAsync(node.EndPoint, s_torrent, TimeSpan.FromSeconds(30));

        var stillOpen = 0;
        await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (input, _) =>
        {
            await using var peer = await RawPeer.ConnectAsync(node.EndPoint);
            try
            {
                await peer.SendRawAsync(input);
                peer.ShutdownSend();
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                // The node closed the connection while we were still sending: that is an answer too.
            }

            if (!await peer.WaitForCloseAsync(TimeSpan.FromSeconds(30)))
            {
                Interlocked.Increment(ref stillOpen);
            }
        });

        Assert.Equal(0, stillOpen);
        Assert.Equal(s_torrent.Content.ToArray(), await good);
        Assert.Equal(s_torrent.Content.ToArray(), await TestNode.DownloadAsync(node.EndPoint, s_torrent));
        await Eventually.TrueAsync(() => node.Counters.ActiveConnections == 0, TimeSpan.FromSeconds(30), "every fuzz connection released");
        Assert.Equal(Connections + 2, node.Counters.ConnectionsAccepted);
        Assert.InRange(node.Counters.ProtocolErrors, Connections / 3, Connections);
        Assert.True(node.Counters.UnknownInfoHashes > 0, "no mutation hit the info-hash");
        Assert.True(node.Counters.Sessions > 2, "no mutated input got past the handshake");
        node.AssertNoErrorsLogged();
    }

    private static byte[] AfterUnchoke(string name) => name switch
    {
        "piece index past the end" => Message(new RequestMessage(s_torrent.PieceCount, 0, 16 * 1024)),
        "begin + length past the piece" => Message(new RequestMessage(0, 8 * 1024, 16 * 1024)),
        "begin + length past the short last piece" => Message(new RequestMessage(2, 0, 16 * 1024)),
        "length over 16 KiB" => Message(new RequestMessage(0, 0, (16 * 1024) + 1)),
        "zero length" => Message(new RequestMessage(0, 0, 0)),
        "length prefix 0x7FFFFFFF" => [0x7F, 0xFF, 0xFF, 0xFF, PeerMessageIds.Bitfield],
        "length prefix 0xFFFFFFFF" => [0xFF, 0xFF, 0xFF, 0xFF],
        "have with 3-byte payload" => [0, 0, 0, 4, PeerMessageIds.Have, 0, 0, 1],
        // Seeded, and the first length prefix forced over the limit, so it is bad on every run.
        "random bytes" => [0x40, .. TestCatalog.Content(4096, seed: 5)],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static byte[] InsteadOfHandshake(string name) => name switch
    {
        "HTTP request" => Encoding.ASCII.GetBytes("GET /announce?info_hash=x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
        "protocol string length 18" => [18, .. "BitTorrent protoco"u8, .. new byte[49]],
        "protocol string misspelt" => [19, .. "BitTorrent protocoI"u8, .. new byte[48]],
        "random bytes" => [0x80, .. TestCatalog.Content(300, seed: 6)],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static byte[] Message(params PeerMessage[] messages)
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        foreach (var message in messages)
        {
            PeerMessageWriter.Write(writer, message);
        }

        return writer.WrittenSpan.ToArray();
    }

    // A valid conversation: handshake, extension handshake, interested, requests, a metadata request, keep-alive.
    private static byte[] ValidConversation()
    {
        var handshake = new byte[Handshake.Size];
        new Handshake(Handshake.ReservedBits(true, false, false), s_torrent.InfoHash, PeerId.CreateRandom()).WriteTo(handshake);
        var extensions = new ExtensionHandshake { Messages = new Dictionary<string, byte> { ["ut_metadata"] = 2 } }.Encode();
        return
        [
            .. handshake,
            .. Message(
                new ExtendedMessage(0, extensions),
                InterestedMessage.Instance,
                new RequestMessage(0, 0, 16 * 1024),
                new RequestMessage(2, 0, 7_232),
                new ExtendedMessage(SeedingSession.MetadataExtensionId, new MetadataMessage(MetadataMessageType.Request, 0, null, default).Encode()),
                new HaveMessage(1),
                KeepAliveMessage.Instance),
        ];
    }

    // A third pure noise, a third a valid handshake then noise, a third a valid conversation with a few bytes mutated.
    private static byte[] FuzzInput(Random random, int index)
    {
        switch (index % 3)
        {
            case 0:
                var noise = new byte[random.Next(1, 300)];
                random.NextBytes(noise);
                return noise;
            case 1:
                var tail = new byte[random.Next(1, 300)];
                random.NextBytes(tail);
                return [.. ValidConversation().AsSpan(0, Handshake.Size), .. tail];
            default:
                var bytes = ValidConversation().ToList();
                var mutations = random.Next(1, 5);
                for (var m = 0; m < mutations; m++)
                {
                    var at = random.Next(bytes.Count);
                    switch (random.Next(4))
                    {
                        case 0:
                            bytes[at] ^= (byte)(1 << random.Next(8));
                            break;
                        case 1:
                            bytes[at] = (byte)random.Next(256);
                            break;
                        case 2:
                            bytes.Insert(at, (byte)random.Next(256));
                            break;
                        default:
                            bytes.RemoveRange(at, Math.Min(random.Next(1, 8), bytes.Count - at));
                            break;
                    }
                }

                // Aim a quarter of the mutations at the length prefixes and ids, where the framing breaks.
                if (random.Next(4) == 0 && bytes.Count > Handshake.Size + 4)
                {
                    var prefix = Handshake.Size + random.Next(0, bytes.Count - Handshake.Size - 4);
                    BinaryPrimitives.WriteUInt32BigEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes)[prefix..], (uint)random.Next());
                }

                return [.. bytes];
        }
    }
}
