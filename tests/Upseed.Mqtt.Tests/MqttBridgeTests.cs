using Upseed.Mqtt.Bridge;
using Upseed.Mqtt.Client;
using Upseed.Records;

namespace Upseed.Mqtt.Tests;

/// <summary>Two nodes whose only link is a real mosquitto.</summary>
public sealed class MqttBridgeTests
{
    private static Task WaitUntilAsync(Func<bool> condition) => MqttClientTests.WaitUntilAsync(condition, TimeSpan.FromSeconds(60));

    [Theory]
    [InlineData("auto")]
    [InlineData("3.1.1")]
    public async Task TwoNodes_SharingOnlyTheBroker_ExchangePostsCommentsAndVotes(string protocol)
    {
        await using var broker = await MosquittoBroker.StartAsync("exchange");
        var url = $"mqtt://127.0.0.1:{broker.Port}/forum?protocol={protocol}";
        await using var alice = TestNode.Start("alice", url);
        await using var bob = TestNode.Start("bob", url);
        await alice.Bridge!.Client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await bob.Bridge!.Client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var identity = alice.Publish(alice.Factory.Identity("alice"));
        var post = alice.Publish(alice.Factory.Post("garden", "First tomatoes", "Red already."));
        await WaitUntilAsync(() => bob.Store.Contains(post.Id) && bob.Store.Contains(identity.Id));

        var comment = bob.Publish(bob.Factory.Comment("garden", post.Id, post.Id, "Which variety?"));
        var vote = bob.Publish(bob.Factory.Vote("garden", post.Id, 1));
        await WaitUntilAsync(() => alice.Store.Contains(comment.Id) && alice.Store.Contains(vote.Id));

        var listing = alice.Store.Forum.List(new Upseed.Store.ListingQuery { Community = "garden" });
        Assert.Equal(1, Assert.Single(listing).Score);
        Assert.Equal("alice", bob.Store.DisplayName(alice.Key.PublicKey.Span));

        // No loops: what bob took from MQTT is never offered back, and nobody re-publishes anybody else's records.
        Assert.Equal(MqttOfferResult.CameFromMqtt, bob.Bridge.Offer(post));
        await WaitUntilAsync(() => alice.Bridge.GetStatus().QueueLength == 0 && bob.Bridge.GetStatus().QueueLength == 0);
        var aliceStatus = alice.Bridge.GetStatus();
        var bobStatus = bob.Bridge.GetStatus();
        Assert.Equal(2, aliceStatus.RecordsPublished);
        Assert.Equal(2, bobStatus.RecordsPublished);
        Assert.Equal(2, aliceStatus.RecordsAccepted);
        Assert.Equal(2, bobStatus.RecordsAccepted);
        Assert.Equal(0, aliceStatus.RecordsRejected);
        Assert.True(aliceStatus.Connected);
        Assert.Equal("forum", aliceStatus.TopicPrefix);
        Assert.Equal(2, aliceStatus.MessagesOut);
        Assert.True(aliceStatus.BytesOut > post.Bytes.Length);
        Assert.Equal(protocol == "auto" ? Upseed.Mqtt.Packets.MqttProtocolVersion.V500 : Upseed.Mqtt.Packets.MqttProtocolVersion.V311, aliceStatus.ProtocolVersion);
        alice.AssertNoErrors();
        bob.AssertNoErrors();
    }

    [Fact]
    public async Task BrokerAway_FivePostsQueued_ArriveExactlyOnceAfterRestart()
    {
        await using var broker = await MosquittoBroker.StartAsync("outage", persistence: true);
        var url = $"mqtt://127.0.0.1:{broker.Port}";
        await using var alice = TestNode.Start("alice-outage", url);
        await using var bob = TestNode.Start("bob-outage", url);
        await alice.Bridge!.Client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await bob.Bridge!.Client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(60));

        await broker.StopAsync();
        await WaitUntilAsync(() => !alice.Bridge.GetStatus().Connected);
        var posts = Enumerable.Range(1, 5).Select(i => alice.Publish(alice.Factory.Post("garden", $"Outage post {i}", $"Written while the broker was away ({i})."))).ToList();
        Assert.Equal(5, alice.Bridge.GetStatus().QueueLength);

        // The node restarts too while the broker is away: the queue is on disk.
        await alice.StopBridgeAsync();
        alice.StartBridge();
        Assert.Equal(5, alice.Bridge.GetStatus().QueueLength);

        await broker.StartAsync();
        await WaitUntilAsync(() => posts.All(p => bob.Store.Contains(p.Id)));
        await WaitUntilAsync(() => alice.Bridge.GetStatus().QueueLength == 0);
        Assert.Equal(5, bob.Store.Count(RecordKind.Post));
        Assert.Equal(5, bob.Bridge.GetStatus().RecordsAccepted);
        Assert.Equal(0, bob.Bridge.GetStatus().RecordsRejected);
        Assert.NotNull(alice.Bridge.GetStatus().LastError ?? bob.Bridge.GetStatus().LastError);
    }

    [Fact]
    public async Task Policy_UpAndDownSets_LimitWhatTravels()
    {
        await using var broker = await MosquittoBroker.StartAsync("policy");
        var url = $"mqtt://127.0.0.1:{broker.Port}";
        await using var alice = TestNode.Start("alice-policy", url + "?up=garden,bikes");
        await using var bob = TestNode.Start("bob-policy", url + "?down=garden");
        await alice.Bridge!.Client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await bob.Bridge!.Client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var secret = alice.Factory.Post("private", "Not for the broker", "stays home");
        Assert.Equal(Upseed.Store.IngestOutcome.Accepted, alice.Store.Ingest(secret.Bytes).Outcome);
        Assert.Equal(MqttOfferResult.NotInPolicy, alice.Bridge.Offer(secret));
        var bikes = alice.Publish(alice.Factory.Post("bikes", "Chain oil", "Which one?"));
        var garden = alice.Publish(alice.Factory.Post("garden", "Seeds", "Swap?"));
        await WaitUntilAsync(() => bob.Store.Contains(garden.Id));
        // bob subscribes to garden only, so bikes never reaches him; alice's queue drained both.
        await WaitUntilAsync(() => alice.Bridge.GetStatus().RecordsPublished == 2);
        Assert.False(bob.Store.Contains(bikes.Id));
        Assert.False(bob.Store.Contains(secret.Id));
    }

    [Fact]
    public async Task Inbound_InvalidRecordsAndWrongTopics_RejectedAndAcked()
    {
        await using var broker = await MosquittoBroker.StartAsync("invalid");
        var url = $"mqtt://127.0.0.1:{broker.Port}";
        await using var bob = TestNode.Start("bob-invalid", url);
        await bob.Bridge!.Client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await using var mallory = new MqttClient(new MqttEndpoint("127.0.0.1", broker.Port), MqttClientTests.Options("mallory"), new CollectingHandler());
        mallory.Start();
        var maker = TestNode.Start("maker", "mqtt://127.0.0.1:1/unused");
        await using (maker)
        {
            var good = maker.Factory.Post("garden", "Real", "post");
            var tampered = good.Bytes.ToArray();
            tampered[^5] ^= 1; // inside the signature
            Assert.True((await mallory.PublishAsync("upseed/c/garden/post", "not bencode"u8.ToArray())).IsSuccess);
            Assert.True((await mallory.PublishAsync("upseed/c/garden/post", tampered)).IsSuccess);
            Assert.True((await mallory.PublishAsync("upseed/c/other/post", good.Bytes)).IsSuccess);
            await WaitUntilAsync(() => bob.Bridge.GetStatus().RecordsRejected == 3);
            Assert.False(bob.Store.Contains(good.Id));
            Assert.Contains("belongs on 'upseed/c/garden/post'", bob.Bridge.GetStatus().LastRejection, StringComparison.Ordinal);
            // Then the same record on its right topic is taken.
            Assert.True((await mallory.PublishAsync("upseed/c/garden/post", good.Bytes)).IsSuccess);
            await WaitUntilAsync(() => bob.Store.Contains(good.Id));
        }
    }

    [Fact]
    public async Task Tls_BrokerWithTestCa_ConnectsWithCaFileAndRefusesOtherCa()
    {
        var certificates = await TestCertificates.CreateAsync();
        await using var broker = await MosquittoBroker.StartAsync("tls", tls: (certificates.Ca, certificates.ServerCertificate, certificates.ServerKey), users: new Dictionary<string, string> { ["node"] = "p@ss word" });
        var wrongCaUrl = $"mqtts://node:p%40ss%20word@127.0.0.1:{broker.Port}?ca={Uri.EscapeDataString(certificates.OtherCa)}";
        await using (var refused = TestNode.Start("tls-refused", wrongCaUrl))
        {
            await WaitUntilAsync(() => refused.Bridge!.GetStatus().LastError is not null);
            Assert.Contains("does not chain to the given CA", refused.Bridge!.GetStatus().LastError, StringComparison.Ordinal);
        }

        var url = $"mqtts://node:p%40ss%20word@127.0.0.1:{broker.Port}/secure?ca={Uri.EscapeDataString(certificates.Ca)}";
        await using var alice = TestNode.Start("alice-tls", url);
        await using var bob = TestNode.Start("bob-tls", url);
        await alice.Bridge!.Client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await bob.Bridge!.Client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var post = alice.Publish(alice.Factory.Post("garden", "Over TLS", "encrypted pipe"));
        await WaitUntilAsync(() => bob.Store.Contains(post.Id));
        Assert.StartsWith("mqtts://127.0.0.1:", bob.Bridge.GetStatus().Broker, StringComparison.Ordinal);
        certificates.Dispose();
    }
}
