using System.Text;
using Upseed.Crypto;
using Upseed.Meshtastic.Link;
using Upseed.Meshtastic.Protobufs;
using Upseed.MeshText;
using Upseed.Records;
using Upseed.Store;
using static Upseed.Meshtastic.Tests.LinkTestHelpers;

namespace Upseed.Meshtastic.Tests;

/// <summary>
/// A person with only the Meshtastic app, end to end: the fake radio delivers their direct message over TCP to the
/// real link supervisor, the bridge answers from a real RecordStore, and the replies come back as ToRadio text packets.
/// </summary>
public sealed class MeshTextBridgeTests : IAsyncLifetime, IDisposable
{
    private const uint Ana = FakeMeshtasticRadio.NeighbourNumber;
    private const uint Ben = 0x2B2B2B2B;

    private readonly FixedClock _clock = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "upseed-meshtext-" + Guid.NewGuid().ToString("N"));
    private readonly CancellationTokenSource _stop = new();
    private FakeMeshtasticRadio _radio = null!;
    private MeshtasticLinkSupervisor _link = null!;
    private RecordStore _store = null!;
    private MeshTextBridge _bridge = null!;
    private Task _bridgeTask = Task.CompletedTask;
    private readonly List<(string Title, int Votes, int HoursAgo)> _seeded = [("Bridge repaired", 5, 30), ("Market moves to Sunday", 9, 50), ("Lost dog near the mill", 2, 3), ("Old news", 20, 24 * 40)];

    public async Task InitializeAsync()
    {
        _store = RecordStore.Open(_folder, new StoreOptions { Clock = _clock, SynchronousFull = false });

        // Low difficulties keep the test quick; the box still computes what the settings require.
        _store.SetSetting("pow.identity", "8");
        _store.SetSetting("pow.post", "6");
        var author = Ed25519.Generate();
        var factory = new RecordFactory(author, _store.ValidationOptions);
        Assert.Equal(IngestOutcome.Accepted, _store.Ingest(factory.Identity("Carla").Bytes).Outcome);
        foreach (var (title, votes, hoursAgo) in _seeded)
        {
            var post = factory.Post("town", title, "Body of " + title, created: _clock.UnixNow - (hoursAgo * 3600));
            Assert.Equal(IngestOutcome.Accepted, _store.Ingest(post.Bytes).Outcome);
            for (var v = 0; v < votes; v++)
            {
                var voter = new RecordFactory(Ed25519.Generate(), _store.ValidationOptions);
                Assert.Equal(IngestOutcome.Accepted, _store.Ingest(voter.Vote("town", post.Id, 1).Bytes).Outcome);
            }
        }

        _radio = FakeMeshtasticRadio.StartTcp();
        _link = new MeshtasticLinkSupervisor(MeshtasticEndpoint.Tcp("127.0.0.1", _radio.Port), FastOptions);
        _bridge = new MeshTextBridge(_link, _store, timeProvider: _clock);
        _bridgeTask = _bridge.RunAsync(_stop.Token);
        _link.Start();
        await _link.WaitUntilReadyAsync().WaitAsync(Hang);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _bridgeTask;
        await _link.DisposeAsync();
        await _radio.DisposeAsync();
    }

    /// <summary>Runs after <see cref="DisposeAsync"/> (xunit calls both).</summary>
    public void Dispose()
    {
        _store.Dispose();
        _stop.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Help_RepliesWithTheCommands()
    {
        var replies = await ExchangeAsync("help");
        Assert.Contains("top", Assert.Single(replies).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopTownWeek_RepliesWithTitlesAndScoresInOrder()
    {
        var replies = await ExchangeAsync("top town week");

        Assert.InRange(replies.Count, 1, 2);
        Assert.All(replies, r => Assert.InRange(Encoding.UTF8.GetByteCount(r.Text), 1, 200));
        var text = string.Join('\n', replies.Select(r => r.Text));
        Assert.StartsWith("top town week", text, StringComparison.Ordinal);
        var market = text.IndexOf("1 +9 Market moves to Sunday", StringComparison.Ordinal);
        var bridge = text.IndexOf("2 +5 Bridge repaired", StringComparison.Ordinal);
        var dog = text.IndexOf("3 +2 Lost dog near the mill", StringComparison.Ordinal);
        Assert.True(market >= 0 && bridge > market && dog > bridge, text);
        Assert.DoesNotContain("Old news", text, StringComparison.Ordinal); // 40 days old: not this week

        // Each reply is a direct text message back to the sender, threaded on the command, acked.
        Assert.All(replies, r => Assert.Equal((Ana, PortNum.TextMessageApp, true), (r.Packet.To, r.Packet.Decoded.Portnum, r.Packet.WantAck)));
        Assert.All(replies, r => Assert.Equal(replies[0].Packet.Decoded.ReplyId, r.Packet.Decoded.ReplyId));
        Assert.NotEqual(0u, replies[0].Packet.Decoded.ReplyId);
    }

    [Fact]
    public async Task ShowN_AfterTop_RepliesWithThePost()
    {
        await ExchangeAsync("top town week");
        var replies = await ExchangeAsync("show 2");
        var text = string.Join(string.Empty, replies.Select(r => r.Text));
        Assert.StartsWith("Bridge repaired (+5, 0 comments, by Carla, id ", text, StringComparison.Ordinal);
        Assert.Contains("Body of Bridge repaired", text, StringComparison.Ordinal);

        // Another radio has no list of its own yet.
        Assert.Contains("Send top first", Assert.Single(await ExchangeAsync("show 2", Ben)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_MakesASignedPostThroughTheRadiosOwnIdentity()
    {
        var reply = Assert.Single(await ExchangeAsync("post town Well water tested clean\nResults at the hall.")).Text;

        Assert.StartsWith("Posted to town as Ana's radio (mesh). id ", reply, StringComparison.Ordinal);
        var post = _store.Forum.List(new ListingQuery { Community = "town", Sort = ListingSort.New, Limit = 1 })[0];
        Assert.Equal("Well water tested clean", post.Title);
        Assert.Equal("Ana's radio (mesh)", post.AuthorName);
        Assert.True(_store.IsPinned(post.Id));
        Assert.True(_store.TryGetRecord(post.Id, out var record));
        Assert.Equal("Results at the hall.", ((PostRecord)record!).Body);

        // The identity record says it is bridged; its key lives in the data folder, and the next post reuses it.
        Assert.True(_bridge.Handler.Identities.TryGet(Ana, out var key));
        Assert.Equal(post.Author.ToArray(), key!.PublicKey.ToArray());
        Assert.True(File.Exists(Path.Combine(_folder, "mesh-keys", key.PublicKeyHex + ".key")));
        // Signing and the proof-of-work search are deterministic: the same fields give the same record, so the stored
        // identity is exactly this one, with the bridged bio.
        var expected = new RecordFactory(key, _store.ValidationOptions).Identity("Ana's radio (mesh)", MeshIdentityKeeper.BioFor("!1a2b3c4d"), _clock.UnixNow);
        Assert.True(_store.Contains(expected.Id));
        Assert.StartsWith("Bridged from Meshtastic node !1a2b3c4d", expected.Bio, StringComparison.Ordinal);

        await ExchangeAsync("post town Second one");
        var second = _store.Forum.List(new ListingQuery { Community = "town", Sort = ListingSort.New, Limit = 1 })[0];
        Assert.Equal(post.Author.ToArray(), second.Author.ToArray());
    }

    [Fact]
    public async Task Post_BadText_RepliesWhy()
    {
        var reply = Assert.Single(await ExchangeAsync("post town \u202Eevil")).Text;
        Assert.StartsWith("Not posted: ", reply, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(reply), 1, 200);
    }

    [Fact]
    public async Task UnknownCommand_RepliesShortly()
    {
        Assert.Equal("Unknown command 'dance'. Send help.", Assert.Single(await ExchangeAsync("dance")).Text);
    }

    [Fact]
    public async Task Commands_OverTheLimit_OneWarningThenSilenceThenServedAgain()
    {
        for (var i = 0; i < MeshTextOptions.Default.CommandsPerWindow; i++)
        {
            Assert.Single(await ExchangeAsync("help"));
        }

        Assert.StartsWith("Slow down: try again in 10 min", Assert.Single(await ExchangeAsync("help")).Text, StringComparison.Ordinal);
        Assert.Empty(await ExchangeAsync("help"));
        Assert.Single(await ExchangeAsync("help", Ben)); // others are not affected

        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Single(await ExchangeAsync("help"));
    }

    [Fact]
    public async Task Posts_OverTheHourlyLimit_AreRefused()
    {
        for (var i = 0; i < MeshTextOptions.Default.PostsPerWindow; i++)
        {
            Assert.StartsWith("Posted", Assert.Single(await ExchangeAsync($"post town Note {i}")).Text, StringComparison.Ordinal);
        }

        Assert.StartsWith("Post limit reached", Assert.Single(await ExchangeAsync("post town One more")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BroadcastChatter_IsIgnored()
    {
        Assert.Empty(await ExchangeAsync("top town week", Ana, MeshtasticNodeNumber.Broadcast));
        Assert.Equal(1, _bridge.MessagesIgnored);
    }

    /// <summary>
    /// Sends one text from <paramref name="from"/> and returns the text replies the radio was asked to send to it.
    /// Once the bridge has handled the message, a marker packet sent through the same link comes after all replies.
    /// </summary>
    private async Task<List<(string Text, MeshPacket Packet)>> ExchangeAsync(string text, uint from = Ana, uint to = FakeMeshtasticRadio.NodeNumber)
    {
        var handled = _bridge.MessagesHandled;
        await _radio.SendTextAsync(from, to, text);
        await EventuallyAsync(() => _bridge.MessagesHandled > handled, "the bridge handled the message");
        var marker = await _link.SendAsync(new MeshtasticOutgoingPacket { Payload = "marker"u8.ToArray() });
        Assert.True(marker.IsSent);

        var replies = new List<(string, MeshPacket)>();
        while (true)
        {
            var message = await _radio.WaitForAsync(m => m.PayloadVariantCase == ToRadio.PayloadVariantOneofCase.Packet);
            if (message.Packet.Id == marker.PacketId)
            {
                return replies;
            }

            if (message.Packet.Decoded.Portnum == PortNum.TextMessageApp && message.Packet.To == from)
            {
                replies.Add((message.Packet.Decoded.Payload.ToStringUtf8(), message.Packet));
            }
        }
    }
}
