using Upseed.Mqtt.Client;
using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Tests;

/// <summary>
/// Brokers that misbehave (a scripted <see cref="FakeBroker"/>): each failure ends one connection with a clear logged
/// reason, the client reconnects, and it keeps working once a good broker (a real mosquitto on the same port) appears.
/// </summary>
public sealed class MqttFakeBrokerTests
{
    public static TheoryData<string, string, string> Misbehaviours() => new()
    {
        // name, bytes sent after CONNACK (hex), what the log must say
        { "malformed", "30020005", "bad packet (Truncated)" },
        { "reserved-type", "0000", "bad packet (UnknownPacketType)" },
        { "oversized-length", "30FFFFFF7F", "bad packet (PacketTooLarge)" },
        { "bad-length-encoding", "30FFFFFFFF01", "bad packet (MalformedVariableByteInteger)" },
        { "unexpected-connack", "20020000", "which a server never sends to a client" },
    };

    [Theory]
    [MemberData(nameof(Misbehaviours))]
    public async Task BadBytesAfterConnAck_LoggedReconnectsAndWorksWithGoodBroker(string name, string hex, string expected)
    {
        var logger = new TestLogger();
        var fake = new FakeBroker();
        var port = fake.Port;
        await using var client = new MqttClient(new MqttEndpoint("127.0.0.1", port), MqttClientOptions311(name), new CollectingHandler(), logger);
        client.Start();
        await using (fake)
        {
            var connection = await fake.AcceptAsync();
            await connection.AcceptConnectAsync();
            await connection.SendRawAsync(Convert.FromHexString(hex));
            await connection.WaitForCloseAsync();
            // The supervisor comes back after its backoff.
            var again = await fake.AcceptAsync();
            await again.ExpectAsync<ConnectPacket>();
        }

        Assert.True(logger.Errors.Any(e => e.Contains(expected, StringComparison.Ordinal)), logger.Dump());
        Assert.Contains(expected, client.GetStatus().LastError, StringComparison.Ordinal);
        await AssertWorksWithMosquittoAsync(client, port);
    }

    [Fact]
    public async Task AcceptsAndHangs_ConnectTimesOutLoggedAndRetried()
    {
        var logger = new TestLogger();
        var fake = new FakeBroker();
        var port = fake.Port;
        await using var client = new MqttClient(new MqttEndpoint("127.0.0.1", port), MqttClientOptions311("hang") with { ConnectTimeout = TimeSpan.FromMilliseconds(500) }, new CollectingHandler(), logger);
        client.Start();
        await using (fake)
        {
            var silent = await fake.AcceptAsync();
            await silent.ExpectAsync<ConnectPacket>();
            await silent.WaitForCloseAsync();
            await fake.AcceptAsync();
        }

        Assert.Contains(logger.Errors, e => e.Contains("did not answer CONNECT within", StringComparison.Ordinal));
        await AssertWorksWithMosquittoAsync(client, port);
    }

    [Fact]
    public async Task SilentAfterConnAck_PingTimeoutEndsConnection()
    {
        var logger = new TestLogger();
        await using var fake = new FakeBroker();
        var options = MqttClientOptions311("silent") with { KeepAlive = TimeSpan.FromMilliseconds(400), PingTimeout = TimeSpan.FromMilliseconds(400) };
        await using var client = new MqttClient(new MqttEndpoint("127.0.0.1", fake.Port), options, new CollectingHandler(), logger);
        client.Start();
        var connection = await fake.AcceptAsync();
        await connection.AcceptConnectAsync();
        await connection.ExpectAsync<PingReqPacket>();
        // No PINGRESP: the client gives up on this connection and dials again.
        await connection.WaitForCloseAsync();
        var again = await fake.AcceptAsync();
        await again.AcceptConnectAsync();
        Assert.Contains(logger.Errors, e => e.Contains("did not answer PINGREQ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pingresp_KeepsConnectionAlive()
    {
        await using var fake = new FakeBroker();
        var options = MqttClientOptions311("alive") with { KeepAlive = TimeSpan.FromMilliseconds(200), PingTimeout = TimeSpan.FromSeconds(5) };
        await using var client = new MqttClient(new MqttEndpoint("127.0.0.1", fake.Port), options, new CollectingHandler());
        client.Start();
        var connection = await fake.AcceptAsync();
        var connect = await connection.AcceptConnectAsync();
        Assert.False(connect.CleanSession);
        for (var i = 0; i < 3; i++)
        {
            await connection.ExpectAsync<PingReqPacket>();
            await connection.SendAsync(PingRespPacket.Instance);
        }

        Assert.Equal(1, client.GetStatus().Connections);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task UnacknowledgedPublish_RedeliveredWithDupAndSameIdAfterReconnect()
    {
        await using var fake = new FakeBroker();
        await using var client = new MqttClient(new MqttEndpoint("127.0.0.1", fake.Port), MqttClientOptions311("dup"), new CollectingHandler());
        client.Start();
        var first = await fake.AcceptAsync();
        await first.AcceptConnectAsync();
        var acked = await client.EnqueuePublishAsync("d/t", "one"u8.ToArray());
        var original = await first.ExpectAsync<PublishPacket>();
        Assert.False(original.Dup);
        first.Dispose(); // gone without PUBACK

        var second = await fake.AcceptAsync();
        await second.AcceptConnectAsync(sessionPresent: true);
        var again = await second.ExpectAsync<PublishPacket>();
        Assert.True(again.Dup);
        Assert.Equal(original.PacketId, again.PacketId);
        Assert.Equal("one"u8.ToArray(), again.Payload.ToArray());
        Assert.False(acked.IsCompleted);
        await second.SendAsync(new PubAckPacket(again.PacketId));
        Assert.True((await acked.WaitAsync(TimeSpan.FromSeconds(30))).IsSuccess);
    }

    [Fact]
    public async Task Inbound_AckedOnlyAfterHandlerAccepted_RedeliveredWhenHandlerFails()
    {
        await using var fake = new FakeBroker();
        var handler = new CollectingHandler { FailWhen = batch => batch.Any(m => !m.Dup) };
        var logger = new TestLogger();
        await using var client = new MqttClient(new MqttEndpoint("127.0.0.1", fake.Port), MqttClientOptions311("inbound"), handler, logger);
        client.Start();
        var first = await fake.AcceptAsync();
        await first.AcceptConnectAsync();
        await first.SendAsync(new PublishPacket { Topic = "in/t", Payload = "x"u8.ToArray(), QualityOfService = MqttQualityOfService.AtLeastOnce, PacketId = 77 });
        // The handler refuses the first delivery: no PUBACK, the connection closes.
        Assert.Null(await first.ReadAsync());
        Assert.Contains(logger.Errors, e => e.Contains("message handler failed", StringComparison.Ordinal));

        var second = await fake.AcceptAsync();
        await second.AcceptConnectAsync(sessionPresent: true);
        await second.SendAsync(new PublishPacket { Topic = "in/t", Payload = "x"u8.ToArray(), QualityOfService = MqttQualityOfService.AtLeastOnce, PacketId = 77, Dup = true });
        var ack = await second.ExpectAsync<PubAckPacket>();
        Assert.Equal(77, ack.PacketId);
        Assert.True((await handler.NextAsync()).Dup);
    }

    [Fact]
    public async Task PublishInSameSegmentAsConnAck_IsDelivered()
    {
        // Regression: bytes read together with the CONNACK used to wait for the next read.
        await using var fake = new FakeBroker();
        var handler = new CollectingHandler();
        await using var client = new MqttClient(new MqttEndpoint("127.0.0.1", fake.Port), MqttClientOptions311("segment"), handler);
        client.Start();
        var connection = await fake.AcceptAsync();
        await connection.ExpectAsync<ConnectPacket>();
        var connAck = Upseed.Mqtt.Formatter.MqttPacketCodec.Encode(new ConnAckPacket(), MqttProtocolVersion.V311);
        var publish = Upseed.Mqtt.Formatter.MqttPacketCodec.Encode(new PublishPacket { Topic = "s", Payload = "p"u8.ToArray(), QualityOfService = MqttQualityOfService.AtLeastOnce, PacketId = 5 }, MqttProtocolVersion.V311);
        await connection.SendRawAsync([.. connAck, .. publish]);
        Assert.Equal(5, (await connection.ExpectAsync<PubAckPacket>()).PacketId);
        Assert.Equal("s", (await handler.NextAsync()).Topic);
    }

    [Fact]
    public async Task Auto_BrokerRefusingLevel5_FallsBackTo311()
    {
        await using var fake = new FakeBroker();
        var options = MqttClientTests.Options("fallback");
        await using var client = new MqttClient(new MqttEndpoint("127.0.0.1", fake.Port), options, new CollectingHandler());
        client.Start();
        var first = await fake.AcceptAsync();
        var connect5 = await first.ExpectAsync<ConnectPacket>();
        Assert.Equal(MqttProtocolVersion.V500, connect5.ProtocolVersion);
        // A 3.1.1-only broker answers level 5 with the 2-byte CONNACK "unacceptable protocol version" (3.1.1 §3.2.2.3).
        await first.SendRawAsync(Convert.FromHexString("20020001"));
        first.Dispose();

        var second = await fake.AcceptAsync();
        var connect4 = await second.AcceptConnectAsync();
        Assert.Equal(MqttProtocolVersion.V311, connect4.ProtocolVersion);
        await client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(MqttProtocolVersion.V311, client.GetStatus().ProtocolVersion);
    }

    private static MqttClientOptions MqttClientOptions311(string id) => MqttClientTests.Options(id, MqttProtocolPreference.V311);

    private static async Task AssertWorksWithMosquittoAsync(MqttClient client, int port)
    {
        await using var broker = await MosquittoBroker.StartAsync("good", port: port);
        await client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var result = await client.PublishAsync("ok", "fine"u8.ToArray()).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(result.IsSuccess);
    }
}
