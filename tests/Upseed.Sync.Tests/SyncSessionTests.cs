using System.Net.Sockets;
using Upseed.Sync.Protocol;
using Upseed.Torrent;
using Upseed.Torrent.Extensions;
using Upseed.Torrent.Swarm;
using Upseed.Torrent.Wire;

namespace Upseed.Sync.Tests;

public sealed class SyncSessionTests
{
    private const string Community = "gardening";

    [Fact]
    public async Task TwoStores_OverLoopback_ReconcileThenPush()
    {
        await using var a = SyncNode.Start(null, Community);
        await using var b = SyncNode.Start(null, Community);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var alice = SyncNode.Factory(1);
        var bob = SyncNode.Factory(2);
        a.Add(alice.Identity("alice", created: now - (400 * 86400)));
        b.Add(bob.Identity("bob", created: now - (3 * 86400)));

        // Records in every time window, some on both sides, one in another community.
        var ages = new long[] { 10, 4000, 50_000, 500_000, 5_000_000, 40_000_000 };
        var shared = alice.Post(Community, "both", "on both sides", now - 7200);
        a.Add(shared);
        b.Add(shared);
        for (var i = 0; i < 24; i++)
        {
            var age = ages[i % ages.Length] + i;
            var post = (i % 2 == 0 ? alice : bob).Post(Community, $"post {i}", $"body {i}", now - age);
            (i % 3 == 0 ? a : b).Add(post);
        }

        var vote = bob.Vote(Community, shared.Id, 1, now - 60);
        b.Add(vote);
        var elsewhere = alice.Post("cooking", "elsewhere", "another community", now - 100);
        a.Add(elsewhere);

        var union = a.Community(Community).Union(b.Community(Community)).ToHashSet();
        Assert.True(union.Count >= 27);
        var session = await b.Sync.ConnectAsync(a.Endpoint, Community, CancellationToken.None);
        await session.FirstPassCompleted.WaitAsync(TimeSpan.FromSeconds(60));
        await SyncNode.WaitUntilAsync(() => a.Community(Community).SetEquals(union) && b.Community(Community).SetEquals(union), "both sides hold the union");
        Assert.False(b.Has(elsewhere.Id)); // another community's records stay out of this swarm
        Assert.True(session.ReconcileRounds >= 1);

        // Push: a new post on A reaches B within the session, without another reconciliation.
        var passes = session.PassesCompleted;
        var fresh = alice.Post(Community, "fresh", "pushed", now);
        a.Add(fresh);
        await SyncNode.WaitUntilAsync(() => b.Has(fresh.Id), "the new post is pushed to B");
        Assert.Equal(passes, session.PassesCompleted);

        // And the other way, from the side that was dialled.
        var reply = bob.Comment(Community, fresh.Id, fresh.Id, "a reply");
        b.Add(reply);
        await SyncNode.WaitUntilAsync(() => a.Has(reply.Id), "the comment is pushed to A");
    }

    [Fact]
    public async Task Chain_ABC_CarriesRecordsBothWays()
    {
        await using var a = SyncNode.Start(null, Community);
        await using var b = SyncNode.Start(null, Community);
        await using var c = SyncNode.Start(null, Community);
        var ab = await b.Sync.ConnectAsync(a.Endpoint, Community, CancellationToken.None);
        var bc = await c.Sync.ConnectAsync(b.Endpoint, Community, CancellationToken.None);
        await ab.FirstPassCompleted.WaitAsync(TimeSpan.FromSeconds(60));
        await bc.FirstPassCompleted.WaitAsync(TimeSpan.FromSeconds(60));

        var alice = SyncNode.Factory(1);
        var carol = SyncNode.Factory(3);
        var post = alice.Post(Community, "from A", "travels to C");
        a.Add(post);
        await SyncNode.WaitUntilAsync(() => c.Has(post.Id), "A's post reaches C");

        var vote = carol.Vote(Community, post.Id, 1);
        c.Add(vote);
        await SyncNode.WaitUntilAsync(() => a.Has(vote.Id), "C's vote reaches A");
        Assert.True(b.Has(vote.Id));
    }

    [Fact]
    public async Task Records_WrittenByAnotherProcess_ArePushedFromTheChangeFeed()
    {
        await using var a = SyncNode.Start(null, Community);
        await using var b = SyncNode.Start(null, Community);
        var session = await b.Sync.ConnectAsync(a.Endpoint, Community, CancellationToken.None);
        await session.FirstPassCompleted.WaitAsync(TimeSpan.FromSeconds(60));

        // A second store on A's folder, as the CLI opens one; nobody calls NotifyChanged.
        using var cli = Upseed.Store.RecordStore.Open(a.Folder);
        var post = SyncNode.Factory(4).Post(Community, "from the cli", "picked up by polling");
        Assert.Equal(Upseed.Store.IngestOutcome.Accepted, cli.Ingest(post.Bytes).Outcome);
        await SyncNode.WaitUntilAsync(() => b.Has(post.Id), "the CLI's post reaches B");
    }

    [Fact]
    public async Task MalformedMessage_ClosesThatConnectionOnly()
    {
        await using var a = SyncNode.Start(null, Community);
        await using var b = SyncNode.Start(null, Community);
        var good = await b.Sync.ConnectAsync(a.Endpoint, Community, CancellationToken.None);
        await good.FirstPassCompleted.WaitAsync(TimeSpan.FromSeconds(60));

        // A raw peer: real handshakes and hello, then a records message whose count runs past its end.
        using var client = new TcpClient();
        await client.ConnectAsync(a.Endpoint);
        await using var channel = PeerChannel.Create(client.GetStream(), a.Endpoint);
        var key = CommunitySwarmKey.For(Community);
        await channel.SendHandshakeAsync(new Handshake(Handshake.ReservedBits(true, false, false), key, PeerId.CreateRandom()), default);
        var theirs = await channel.ReadHandshakeAsync(default);
        Assert.Equal(key, theirs.InfoHash);
        var ext = new ExtensionHandshake { Messages = new Dictionary<string, byte> { ["upseed_sync"] = 7 } };
        await channel.SendAsync(new ExtendedMessage(0, ext.Encode()), default);
        byte peerId = 0;
        while (peerId == 0)
        {
            if (await channel.ReadMessageAsync(default) is ExtendedMessage { ExtendedId: 0 } hs && ExtensionHandshake.TryDecode(hs.Payload, out var parsed, out _))
            {
                peerId = parsed.Messages["upseed_sync"];
            }
        }

        await channel.SendAsync(new ExtendedMessage(peerId, SyncMessageCodec.Encode(new SyncHello(1, Community))), default);
        await channel.SendAsync(new ExtendedMessage(peerId, new byte[] { (byte)SyncMessageType.Records, 0, 5, 3, 1, 2 }), default);
        await Assert.ThrowsAsync<EndOfStreamException>(async () =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                await channel.ReadMessageAsync(timeout.Token);
            }
        });

        // The good session still carries pushes.
        Assert.False(good.Completion.IsCompleted);
        var post = SyncNode.Factory(5).Post(Community, "still here", "after the bad peer");
        a.Add(post);
        await SyncNode.WaitUntilAsync(() => b.Has(post.Id), "a push after the bad peer left");
    }

    [Fact]
    public async Task Handshake_ForCommunityNotCarried_IsRefused()
    {
        await using var a = SyncNode.Start(null, Community);
        await using var b = SyncNode.Start(null, "other");
        await Assert.ThrowsAnyAsync<IOException>(() => b.Sync.ConnectAsync(a.Endpoint, "other", CancellationToken.None));
    }

    [Fact]
    public async Task LargeRecord_IsOfferedThenSent()
    {
        var options = new SyncOptions { PushInlineMaxBytes = 512, ChangePollInterval = TimeSpan.FromMilliseconds(100) };
        await using var a = SyncNode.Start(options, Community);
        await using var b = SyncNode.Start(options, Community);
        var session = await b.Sync.ConnectAsync(a.Endpoint, Community, CancellationToken.None);
        await session.FirstPassCompleted.WaitAsync(TimeSpan.FromSeconds(60));
        var post = SyncNode.Factory(6).Post(Community, "long", new string('x', 30_000));
        a.Add(post);
        await SyncNode.WaitUntilAsync(() => b.Has(post.Id), "the large post is fetched after its offer");
    }
}
