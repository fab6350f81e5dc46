using Upseed.Mqtt.Client;
using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Tests;

/// <summary>The client against a real mosquitto on 127.0.0.1.</summary>
public sealed class MqttClientTests
{
    internal static MqttClientOptions Options(string clientId, MqttProtocolPreference protocol = MqttProtocolPreference.Auto) => new()
    {
        ClientId = clientId,
        Protocol = protocol,
        ReconnectDelayMin = TimeSpan.FromMilliseconds(100),
        ReconnectDelayMax = TimeSpan.FromSeconds(1),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        KeepAlive = TimeSpan.FromSeconds(5),
        PingTimeout = TimeSpan.FromSeconds(2),
    };

    [Theory]
    [InlineData(MqttProtocolPreference.Auto, MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolPreference.V311, MqttProtocolVersion.V311)]
    public async Task PublishSubscribe_ThroughMosquitto_DeliversOnceAndAcks(MqttProtocolPreference preference, MqttProtocolVersion expected)
    {
        await using var broker = await MosquittoBroker.StartAsync("pubsub");
        var endpoint = new MqttEndpoint("127.0.0.1", broker.Port);
        var received = new CollectingHandler();
        await using var subscriber = new MqttClient(endpoint, Options("sub" + (int)preference, preference), received);
        await using var publisher = new MqttClient(endpoint, Options("pub" + (int)preference, preference), new CollectingHandler());
        subscriber.Start();
        publisher.Start();
        await subscriber.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var subAck = await subscriber.SubscribeAsync([new MqttSubscription("t/#")]);
        Assert.Equal([1], subAck!.ReasonCodes);
        Assert.Equal(expected, subscriber.GetStatus().ProtocolVersion);

        var result = await publisher.PublishAsync("t/a", "hello"u8.ToArray()).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(result.IsSuccess);
        var message = await received.NextAsync();
        Assert.Equal("t/a", message.Topic);
        Assert.Equal("hello"u8.ToArray(), message.Payload.ToArray());
        Assert.Equal(MqttQualityOfService.AtLeastOnce, message.QualityOfService);
        Assert.Equal(1, publisher.GetStatus().MessagesOut);
        Assert.Equal(0, publisher.GetStatus().InFlight);
    }

    [Fact]
    public async Task Publish_WhileBrokerDown_DeliveredAfterRestartToPersistentSubscriber()
    {
        await using var broker = await MosquittoBroker.StartAsync("restart", persistence: true);
        var endpoint = new MqttEndpoint("127.0.0.1", broker.Port);
        var received = new CollectingHandler();
        await using var subscriber = new MqttClient(endpoint, Options("restartsub"), received);
        await using var publisher = new MqttClient(endpoint, Options("restartpub"), new CollectingHandler());
        subscriber.Start();
        publisher.Start();
        await subscriber.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await publisher.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await subscriber.SubscribeAsync([new MqttSubscription("r/#")]);

        await broker.StopAsync();
        var acks = new List<Task<MqttPublishResult>>();
        for (var i = 0; i < 5; i++)
        {
            acks.Add(await publisher.EnqueuePublishAsync("r/x", new[] { (byte)i }));
        }

        Assert.All(acks, a => Assert.False(a.IsCompleted));
        await broker.StartAsync();
        var results = await Task.WhenAll(acks).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(results, r => Assert.True(r.IsSuccess));
        var payloads = new List<byte>();
        for (var i = 0; i < 5; i++)
        {
            payloads.Add((await received.NextAsync()).Payload.Span[0]);
        }

        Assert.Equal([0, 1, 2, 3, 4], payloads);
        Assert.NotNull(publisher.GetStatus().LastError);
    }

    [Fact]
    public async Task Connect_WrongPassword_ClearErrorThenRightPasswordWorks()
    {
        await using var broker = await MosquittoBroker.StartAsync("auth", users: new Dictionary<string, string> { ["alice"] = "right-horse" });
        var endpoint = new MqttEndpoint("127.0.0.1", broker.Port);
        var logger = new TestLogger();
        await using (var wrong = new MqttClient(endpoint, Options("authwrong") with { UserName = "alice", Password = "wrong" }, new CollectingHandler(), logger))
        {
            wrong.Start();
            await WaitUntilAsync(() => wrong.GetStatus().LastError is not null);
            // mosquitto answers a wrong password with "not authorized" (0x87 / 5), not "bad user name or password".
            Assert.True(wrong.GetStatus().LastError!.Contains("not authorized", StringComparison.Ordinal), wrong.GetStatus().LastError);
            Assert.Contains(logger.Errors, e => e.Contains("refused the connection: not authorized", StringComparison.Ordinal));
            Assert.DoesNotContain(logger.Dump(), "wrong", StringComparison.Ordinal);
        }

        await using var right = new MqttClient(endpoint, Options("authright") with { UserName = "alice", Password = "right-horse" }, new CollectingHandler());
        right.Start();
        await right.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True((await right.PublishAsync("a", "x"u8.ToArray()).WaitAsync(TimeSpan.FromSeconds(30))).IsSuccess);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold in time.");
            }

            await Task.Delay(20);
        }
    }
}
