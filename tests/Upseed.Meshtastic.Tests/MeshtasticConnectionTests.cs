using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using Upseed.Meshtastic.Link;
using Upseed.Meshtastic.Protobufs;
using static Upseed.Meshtastic.Tests.LinkTestHelpers;

namespace Upseed.Meshtastic.Tests;

public sealed class MeshtasticConnectionTests
{
    [Fact]
    public async Task ConnectAsync_FakeRadio_HandshakeCollectsRadioInfo()
    {
        await using var radio = FakeMeshtasticRadio.StartTcp();
        await using var connection = await ConnectAsync(radio);

        Assert.Equal(MeshtasticLinkState.Ready, connection.State);
        Assert.True(connection.TryGetRadio(out var info));
        Assert.Equal(FakeMeshtasticRadio.NodeNumber, info!.MyNodeNumber);
        Assert.Equal("!b0c5b0c5", info.NodeId);
        Assert.Equal("2.7.18.fake", info.FirmwareVersion);
        Assert.Equal(Config.Types.LoRaConfig.Types.ModemPreset.LongFast, info.LoRa!.ModemPreset);
        Assert.Equal(Config.Types.LoRaConfig.Types.RegionCode.Eu868, info.LoRa.Region);
        Assert.Equal("LongFast", Assert.Single(info.Channels).Name);
        Assert.Equal("Ana's radio", info.Nodes[FakeMeshtasticRadio.NeighbourNumber].LongName);

        // The radio saw the wake bytes (skipped as noise), then want_config_id, then the first heartbeat.
        var first = await radio.WaitForAsync(_ => true);
        Assert.Equal(ToRadio.PayloadVariantOneofCase.WantConfigId, first.PayloadVariantCase);
        Assert.NotEqual(0u, first.WantConfigId);
        await radio.WaitForAsync(m => m.PayloadVariantCase == ToRadio.PayloadVariantOneofCase.Heartbeat);

        // The debug text lines and the stale config_complete_id did not disturb anything.
        Assert.True(connection.Counters.NoiseBytes > 0);
        Assert.Equal(0, connection.Counters.MalformedMessages);
    }

    [Fact]
    public async Task SendAsync_PrivatePortToNode_RadioReceivesExactPacket()
    {
        await using var radio = FakeMeshtasticRadio.StartTcp();
        await using var connection = await ConnectAsync(radio);
        var payload = Enumerable.Range(0, 233).Select(i => (byte)i).ToArray();

        var result = await connection.SendAsync(new MeshtasticOutgoingPacket { Payload = payload, To = FakeMeshtasticRadio.NeighbourNumber, WantAck = true, HopLimit = 5, Channel = 0 });

        Assert.Equal(MeshtasticSendStatus.Sent, result.Status);
        var sent = (await radio.WaitForAsync(m => m.PayloadVariantCase == ToRadio.PayloadVariantOneofCase.Packet)).Packet;
        Assert.Equal(result.PacketId, sent.Id);
        Assert.Equal(FakeMeshtasticRadio.NeighbourNumber, sent.To);
        Assert.Equal(5u, sent.HopLimit);
        Assert.True(sent.WantAck);
        Assert.Equal((PortNum)MeshtasticPortNumbers.Upseed, sent.Decoded.Portnum);
        Assert.Equal(payload, sent.Decoded.Payload.ToByteArray());
    }

    [Fact]
    public async Task SendAsync_BroadcastDefaults_UseOptionsHopLimitAndBroadcastAddress()
    {
        await using var radio = FakeMeshtasticRadio.StartTcp();
        await using var connection = await ConnectAsync(radio);

        var result = await connection.SendAsync(new MeshtasticOutgoingPacket { Payload = "hi"u8.ToArray() });

        var sent = (await radio.WaitForAsync(m => m.PayloadVariantCase == ToRadio.PayloadVariantOneofCase.Packet)).Packet;
        Assert.Equal((MeshtasticNodeNumber.Broadcast, 3u, false), (sent.To, sent.HopLimit, sent.WantAck));
        Assert.True(result.IsSent);
    }

    [Theory]
    [InlineData(234, 3u, 300u)] // payload over DATA_PAYLOAD_LEN
    [InlineData(10, 8u, 300u)] // hop limit over HOP_MAX
    [InlineData(10, 3u, 0u)] // UNKNOWN_APP
    [InlineData(10, 3u, 512u)] // above the private range
    public async Task SendAsync_InvalidPacket_ReturnsInvalidAndSendsNothing(int payloadLength, uint hopLimit, uint port)
    {
        await using var radio = FakeMeshtasticRadio.StartTcp();
        await using var connection = await ConnectAsync(radio);

        var result = await connection.SendAsync(new MeshtasticOutgoingPacket { Payload = new byte[payloadLength], HopLimit = hopLimit, PortNumber = port });

        Assert.Equal(MeshtasticSendStatus.Invalid, result.Status);
        Assert.Equal(0, connection.Counters.PacketsSent);
    }

    [Fact]
    public async Task Receive_TextAndPrivatePort_GoToTheirSubscriptions()
    {
        await using var radio = FakeMeshtasticRadio.StartTcp();
        await using var connection = await ConnectAsync(radio);
        using var texts = connection.Subscribe(MeshtasticPortNumbers.TextMessage);
        using var records = connection.Subscribe(MeshtasticPortNumbers.Upseed);

        await radio.SendTextAsync(FakeMeshtasticRadio.NeighbourNumber, FakeMeshtasticRadio.NodeNumber, "top town week");
        await radio.SendAsync(new FromRadio
        {
            Packet = new MeshPacket
            {
                From = FakeMeshtasticRadio.NeighbourNumber,
                To = MeshtasticNodeNumber.Broadcast,
                Id = 42,
                HopLimit = 1,
                HopStart = 3,
                RxSnr = 5.5f,
                RxRssi = -101,
                Decoded = new Data { Portnum = (PortNum)MeshtasticPortNumbers.Upseed, Payload = ByteString.CopyFrom(1, 2, 3) },
            },
        });

        var text = await texts.NextAsync();
        Assert.Equal("top town week", Encoding.UTF8.GetString(text.Payload.Span));
        Assert.Equal((FakeMeshtasticRadio.NeighbourNumber, FakeMeshtasticRadio.NodeNumber, false), (text.From, text.To, text.IsBroadcast));
        var record = await records.NextAsync();
        Assert.Equal(new byte[] { 1, 2, 3 }, record.Payload.ToArray());
        Assert.Equal((42u, 1u, 3u, 5.5f, -101, true), (record.Id, record.HopLimit, record.HopStart, record.RxSnr, record.RxRssi, record.IsBroadcast));
    }

    [Fact]
    public async Task Receive_GarbageMalformedAndOversizedFrames_AreSkippedAndCounted()
    {
        await using var radio = FakeMeshtasticRadio.StartTcp();
        await using var connection = await ConnectAsync(radio);
        using var texts = connection.Subscribe(MeshtasticPortNumbers.TextMessage);

        // A frame whose payload is not protobuf (field 0 is invalid), an oversized length, loose text, an encrypted
        // packet the radio could not decode: none of them stops the next good packet.
        await radio.SendRawAsync([0x94, 0xC3, 0x00, 0x02, 0x00, 0x00]);
        await radio.SendRawAsync([0x94, 0xC3, 0xFF, 0xFF, .. "??? 0x94 garbage"u8.ToArray()]);
        await radio.SendAsync(new FromRadio { Packet = new MeshPacket { From = 5, To = 6, Encrypted = ByteString.CopyFrom(9, 9, 9) } });
        await radio.SendTextAsync(FakeMeshtasticRadio.NeighbourNumber, FakeMeshtasticRadio.NodeNumber, "still here");

        Assert.Equal("still here", Encoding.UTF8.GetString((await texts.NextAsync()).Payload.Span));
        Assert.Equal(MeshtasticLinkState.Ready, connection.State);
        Assert.Equal(1, connection.Counters.MalformedMessages);
        Assert.Equal(1, connection.Counters.OversizedLengths);
        Assert.Equal(1, connection.Counters.PacketsUndecoded);
    }

    [Fact]
    public async Task Receive_RebootedNotice_EndsTheConnection()
    {
        await using var radio = FakeMeshtasticRadio.StartTcp();
        await using var connection = await ConnectAsync(radio);

        await radio.SendAsync(new FromRadio { Rebooted = true });

        Assert.Equal(MeshtasticCloseReason.RadioRebooted, await connection.Completion.WaitAsync(Hang));
        Assert.Equal(MeshtasticSendStatus.NotConnected, (await connection.SendAsync(new MeshtasticOutgoingPacket { Payload = new byte[1] })).Status);
    }

    [Fact]
    public async Task RadioClosesConnection_CompletionSaysEndOfStream()
    {
        await using var radio = FakeMeshtasticRadio.StartTcp();
        await using var connection = await ConnectAsync(radio);

        radio.DropClient();

        Assert.Equal(MeshtasticCloseReason.EndOfStream, await connection.Completion.WaitAsync(Hang));
        Assert.Equal(MeshtasticLinkState.Closed, connection.State);
    }

    [Fact]
    public async Task ConnectAsync_RadioNeverAnswers_TimesOut()
    {
        await using var radio = FakeMeshtasticRadio.StartTcp();
        radio.AnswerConfig = false;
        var stream = await MeshtasticTransport.OpenAsync(MeshtasticEndpoint.Tcp("127.0.0.1", radio.Port), MeshtasticLinkOptions.Default);

        await Assert.ThrowsAsync<TimeoutException>(() =>
            MeshtasticConnection.ConnectAsync(stream, new MeshtasticLinkOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) }));
    }

    [Fact]
    public async Task DisposeAsync_TellsTheRadioToDisconnect()
    {
        await using var radio = FakeMeshtasticRadio.StartTcp();
        var connection = await ConnectAsync(radio);

        await connection.DisposeAsync();

        await radio.WaitForAsync(m => m.PayloadVariantCase == ToRadio.PayloadVariantOneofCase.Disconnect && m.Disconnect);
        Assert.Equal(MeshtasticCloseReason.Disposed, await connection.Completion);
    }

    [Fact]
    public async Task OpenAsync_NothingListening_ThrowsSocketException()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        await Assert.ThrowsAsync<SocketException>(() => MeshtasticTransport.OpenAsync(MeshtasticEndpoint.Tcp("127.0.0.1", port), MeshtasticLinkOptions.Default));
    }

    private static async Task<MeshtasticConnection> ConnectAsync(FakeMeshtasticRadio radio)
    {
        var stream = await MeshtasticTransport.OpenAsync(MeshtasticEndpoint.Tcp("127.0.0.1", radio.Port), MeshtasticLinkOptions.Default);
        return await MeshtasticConnection.ConnectAsync(stream, FastOptions).WaitAsync(Hang);
    }
}
