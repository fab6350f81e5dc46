using System.Net;
using System.Net.Sockets;
using Upseed.Torrent.Swarm;

namespace Upseed.Torrent.Tests.Swarm;

public class TorrentFetcherTests
{
    // 60 KiB in 16 KiB pieces: 4 pieces, the last 12 KiB.
    private static readonly SeedableTorrent s_torrent = TestCatalog.Torrent("post.bin", 60 * 1024, seed: 10);
    private static readonly TimeSpan s_fetchTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FetchAsync_TwoListenersWithMetainfo_ReturnsVerifiedContent()
    {
        Assert.Equal(4, s_torrent.PieceCount);
        await using var first = TestNode.Start(null, s_torrent);
        await using var second = TestNode.Start(null, s_torrent);
        var logger = new RecordingLogger();

        var fetched = await new TorrentFetcher(logger: logger)
            .FetchAsync(s_torrent.InfoHash, [first.EndPoint, second.EndPoint], s_torrent.Metainfo)
            .WaitAsync(s_fetchTimeout);

        Assert.Equal(s_torrent.Content.ToArray(), fetched.Content.ToArray());
        Assert.Equal(s_torrent.InfoHash, fetched.InfoHash);
        await Eventually.TrueAsync(() => first.Counters.BlocksServed + second.Counters.BlocksServed >= 4, RawPeer.DefaultTimeout, "4 blocks counted");
        Assert.DoesNotContain(logger.Entries, e => e.Message.Contains("dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FetchAsync_OnePeer_AsksForEachBlockOnce()
    {
        await using var only = TestNode.Start(null, s_torrent);

        var fetched = await new TorrentFetcher()
            .FetchAsync(s_torrent.InfoHash, [only.EndPoint], s_torrent.Metainfo)
            .WaitAsync(s_fetchTimeout);

        Assert.Equal(s_torrent.Content.ToArray(), fetched.Content.ToArray());
        await Eventually.TrueAsync(() => only.Counters.BlocksServed >= 4, RawPeer.DefaultTimeout, "4 blocks counted");
        Assert.Equal(4, only.Counters.BlocksServed); // not 8: the end game does not ask the same peer twice
    }

    [Fact]
    public async Task FetchAsync_InfoHashOnly_GetsMetadataByUtMetadata()
    {
        await using var first = TestNode.Start(null, s_torrent);
        await using var second = TestNode.Start(null, s_torrent);

        var fetched = await new TorrentFetcher()
            .FetchAsync(s_torrent.InfoHash, [first.EndPoint, second.EndPoint])
            .WaitAsync(s_fetchTimeout);

        Assert.Equal(s_torrent.Content.ToArray(), fetched.Content.ToArray());
        Assert.Equal(s_torrent.Info.ToArray(), fetched.Info.ToArray());
        await Eventually.TrueAsync(() => first.Counters.MetadataPiecesServed + second.Counters.MetadataPiecesServed >= 1, RawPeer.DefaultTimeout, "metadata counted");
    }

    [Theory]
    [InlineData(BadPeerKind.WrongData, true, "failed its hash check")]
    [InlineData(BadPeerKind.Garbage, true, "length prefix over the limit")]
    [InlineData(BadPeerKind.LongBlock, true, "length")]
    [InlineData(BadPeerKind.WrongInfoHash, true, "another info-hash")]
    [InlineData(BadPeerKind.BadMetadata, false, "does not hash to the info-hash")]
    public async Task FetchAsync_BadPeerThenGoodListener_DropsTheBadPeerAndSucceeds(BadPeerKind kind, bool withMetainfo, string reason)
    {
        await using var bad = new BadPeer(s_torrent, kind);
        var logger = new RecordingLogger();

        // The good node answers only once the fetcher has dropped the bad peer, so the bad one always goes first.
        var dropped = logger.WhenLogged($"dropped peer {bad.EndPoint}");
        await using var good = TestNode.Start(null, new TestCatalog(s_torrent) { Gate = dropped });

        var fetched = await new TorrentFetcher(logger: logger)
            .FetchAsync(s_torrent.InfoHash, [bad.EndPoint, good.EndPoint], withMetainfo ? s_torrent.Metainfo : null)
            .WaitAsync(s_fetchTimeout);

        Assert.Equal(s_torrent.Content.ToArray(), fetched.Content.ToArray());
        Assert.True(bad.Misbehaved.IsCompleted);
        Assert.Contains(logger.Entries, e => e.Message.Contains($"dropped peer {bad.EndPoint}", StringComparison.Ordinal) && e.Message.Contains(reason, StringComparison.Ordinal));
        good.AssertNoErrorsLogged();
    }

    [Fact]
    public async Task FetchAsync_OnlyBadPeers_FailsNamingEachPeersReason()
    {
        await using var wrongData = new BadPeer(s_torrent, BadPeerKind.WrongData);
        await using var garbage = new BadPeer(s_torrent, BadPeerKind.Garbage);
        await using var longBlock = new BadPeer(s_torrent, BadPeerKind.LongBlock);
        await using var wrongHash = new BadPeer(s_torrent, BadPeerKind.WrongInfoHash);
        var closed = ClosedPort();

        var failure = await Assert.ThrowsAsync<FetchFailedException>(() => new TorrentFetcher()
            .FetchAsync(s_torrent.InfoHash, [wrongData.EndPoint, garbage.EndPoint, longBlock.EndPoint, wrongHash.EndPoint, closed], s_torrent.Metainfo)
            .WaitAsync(s_fetchTimeout));

        Assert.Equal(s_torrent.InfoHash, failure.InfoHash);
        Assert.Equal(5, failure.Reasons.Count);
        Assert.Contains($"{wrongData.EndPoint}: piece", failure.Message, StringComparison.Ordinal);
        Assert.Contains("failed its hash check", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"{garbage.EndPoint}: message length prefix over the limit", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"{longBlock.EndPoint}: piece 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"{wrongHash.EndPoint}: answered with another info-hash", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"{closed}: ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_NoPeers_FailsAtOnce()
    {
        var failure = await Assert.ThrowsAsync<FetchFailedException>(() => new TorrentFetcher().FetchAsync(s_torrent.InfoHash, []));

        Assert.Contains("no peers", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_MetainfoOverMaxFetchSize_RefusedBeforeAnyBlock()
    {
        await using var node = TestNode.Start(null, s_torrent);
        var fetcher = new TorrentFetcher(new EngineOptions { MaxFetchSize = 32 * 1024 });

        var failure = await Assert.ThrowsAsync<FetchFailedException>(() => fetcher.FetchAsync(s_torrent.InfoHash, [node.EndPoint], s_torrent.Metainfo).WaitAsync(s_fetchTimeout));

        Assert.Contains("over the fetch limit of 32768", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, node.Counters.BlocksServed);
    }

    [Fact]
    public async Task FetchAsync_InfoHashOnlyOverMaxFetchSize_RefusedAfterMetadataBeforeAnyBlock()
    {
        await using var node = TestNode.Start(null, s_torrent);
        var fetcher = new TorrentFetcher(new EngineOptions { MaxFetchSize = 32 * 1024 });

        var failure = await Assert.ThrowsAsync<FetchFailedException>(() => fetcher.FetchAsync(s_torrent.InfoHash, [node.EndPoint]).WaitAsync(s_fetchTimeout));

        Assert.Contains("over the fetch limit of 32768", failure.Message, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => node.Counters.MetadataPiecesServed == 1, RawPeer.DefaultTimeout, "metadata counted");
        Assert.Equal(0, node.Counters.BlocksServed);
    }

    // A loopback port nobody listens on: bind one, then let it go.
    private static IPEndPoint ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop();
        return endpoint;
    }
}
