using System.Net;
using System.Net.Sockets;
using Upseed.Torrent.Extensions;
using Upseed.Torrent.Swarm;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Tests.Swarm;

/// <summary>Peer exchange (BEP 11): the node tells downloaders about each other; the fetcher follows PEX hints.</summary>
public class PeerExchangeTests
{
    private static readonly SeedableTorrent s_torrent = TestCatalog.Torrent("pex.bin", 20 * 1024, seed: 21);

    [Fact]
    public async Task Seeding_SecondDownloader_GetsPexListingTheFirstOnesListenPort()
    {
        await using var node = TestNode.Start(null, s_torrent);
        var (first, _) = await RawPeer.HandshakeAsync(node.EndPoint, s_torrent.InfoHash);
        await using (first)
        {
            await first.SendAsync(new ExtendedMessage(0, new ExtensionHandshake { Messages = new Dictionary<string, byte> { ["ut_pex"] = 5 }, ListenPort = 40001 }.Encode()));
            await first.SendAsync(InterestedMessage.Instance);
            await first.ReadUntilAsync<UnchokeMessage>(); // messages are handled in order: the handshake was seen

            var (second, _) = await RawPeer.HandshakeAsync(node.EndPoint, s_torrent.InfoHash);
            await using (second)
            {
                await second.SendAsync(new ExtendedMessage(0, new ExtensionHandshake { Messages = new Dictionary<string, byte> { ["ut_pex"] = 7 }, ListenPort = 40002 }.Encode()));

                var pex = await second.ReadUntilAsync<ExtendedMessage>(m => m.ExtendedId == 7);

                Assert.True(PexMessage.TryDecode(pex.Payload, out var message, out var error), error);
                Assert.Equal([new IPEndPoint(IPAddress.Loopback, 40001)], message!.Added);
                Assert.Equal([PexMessage.FlagSeed], message.AddedFlags);
            }
        }
    }

    [Fact]
    public async Task Seeding_PeerWithoutUtPex_GetsNoPexMessage()
    {
        await using var node = TestNode.Start(null, s_torrent);
        var (first, _) = await RawPeer.HandshakeAsync(node.EndPoint, s_torrent.InfoHash);
        await using (first)
        {
            await first.SendAsync(new ExtendedMessage(0, new ExtensionHandshake { ListenPort = 40001 }.Encode()));
            await first.SendAsync(InterestedMessage.Instance);
            await first.ReadUntilAsync<UnchokeMessage>();
        }

        var (second, _) = await RawPeer.HandshakeAsync(node.EndPoint, s_torrent.InfoHash);
        await using (second)
        {
            await second.SendAsync(new ExtendedMessage(0, new ExtensionHandshake { ListenPort = 40002 }.Encode()));
            await second.SendAsync(InterestedMessage.Instance);

            // Everything up to the unchoke, and no PEX among it (it would come right after the handshake).
            var seen = new List<PeerMessage>();
            await second.ReadUntilAsync<PeerMessage>(m =>
            {
                seen.Add(m);
                return m is UnchokeMessage;
            });
            Assert.DoesNotContain(seen, m => m is ExtendedMessage { ExtendedId: not 0 });
        }
    }

    [Fact]
    public async Task Fetcher_PeerNamesAnotherByPex_FetchesFromThatOne()
    {
        await using var node = TestNode.Start(null, s_torrent);
        using var gatewayListener = new TcpListener(IPAddress.Loopback, 0);
        gatewayListener.Start();
        var gatewayEndpoint = (IPEndPoint)gatewayListener.LocalEndpoint;

        // A peer with nothing to give but a name: it answers the handshake, then points at the node by PEX.
        var gateway = Task.Run(async () =>
        {
            await using var peer = RawPeer.FromAccepted(await gatewayListener.AcceptTcpClientAsync());
            var theirs = await peer.ReadHandshakeAsync();
            await peer.SendHandshakeAsync(theirs.InfoHash);
            var handshake = await peer.ReadUntilAsync<ExtendedMessage>(m => m.ExtendedId == 0);
            Assert.True(ExtensionHandshake.TryDecode(handshake.Payload, out var fetcherHandshake, out _));
            var pexId = fetcherHandshake!.Messages["ut_pex"];
            await peer.SendAsync(
                new ExtendedMessage(0, new ExtensionHandshake { Messages = new Dictionary<string, byte> { ["ut_pex"] = 9 } }.Encode()),
                new BitfieldMessage(new byte[(s_torrent.PieceCount + 7) / 8]),
                new ExtendedMessage(pexId, new PexMessage([node.EndPoint], [PexMessage.FlagSeed], []).Encode()));
            await peer.WaitForCloseAsync();
        });

        var fetched = await new TorrentFetcher()
            .FetchAsync(s_torrent.InfoHash, [gatewayEndpoint], s_torrent.Metainfo)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(s_torrent.Content.ToArray(), fetched.Content.ToArray());
        Assert.True(node.Counters.BlocksServed >= 2);
        await gateway.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
