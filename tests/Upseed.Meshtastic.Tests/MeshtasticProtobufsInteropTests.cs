using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Upseed.Meshtastic.Framing;
using Upseed.Meshtastic.Link;
using Upseed.Meshtastic.Protobufs;
using static Upseed.Meshtastic.Tests.LinkTestHelpers;

namespace Upseed.Meshtastic.Tests;

/// <summary>
/// Our bytes against Meshtastic's own published definitions: the npm package @meshtastic/protobufs 2.7.18 (with
/// @bufbuild/protobuf) decodes the frames our link writes, and builds FromRadio frames that our link decodes.
/// Needs node and <c>npm ci</c> in js/ (tools/test does it).
/// </summary>
public sealed class MeshtasticProtobufsInteropTests
{
    [Fact]
    public async Task FramesOurLinkWrites_DecodeWithMeshtasticProtobufs()
    {
        await using var radio = FakeMeshtasticRadio.StartTcp();
        var stream = await MeshtasticTransport.OpenAsync(MeshtasticEndpoint.Tcp("127.0.0.1", radio.Port), MeshtasticLinkOptions.Default);
        var connection = await MeshtasticConnection.ConnectAsync(stream, FastOptions).WaitAsync(Hang);
        var record = await connection.SendAsync(new MeshtasticOutgoingPacket { Payload = Enumerable.Repeat((byte)0xA5, 233).ToArray(), To = 0x1A2B3C4D, WantAck = true, HopLimit = 7 });
        var text = await connection.SendAsync(new MeshtasticOutgoingPacket { Payload = Encoding.UTF8.GetBytes("1 +3 Tomatoes ✓"), PortNumber = MeshtasticPortNumbers.TextMessage, Channel = 2, ReplyId = 99 });
        await radio.WaitForAsync(m => m.PayloadVariantCase == ToRadio.PayloadVariantOneofCase.Packet && m.Packet.Id == text.PacketId);
        await connection.DisposeAsync();
        await radio.WaitForAsync(m => m.PayloadVariantCase == ToRadio.PayloadVariantOneofCase.Disconnect);

        byte[][] frames;
        lock (radio.RawFrames)
        {
            frames = [.. radio.RawFrames];
        }

        var decoded = await NodeAsync(["decode-frames", .. frames.Select(Convert.ToHexStringLower)]);

        Assert.Equal(frames.Length, decoded.Count);
        Assert.All(decoded, d => Assert.True(d.GetProperty("reencoded").GetBoolean()));
        var json = decoded.Select(d => d.GetProperty("json")).ToList();
        Assert.True(json[0].GetProperty("wantConfigId").GetUInt32() != 0);
        Assert.Contains(json, j => j.TryGetProperty("heartbeat", out _));
        Assert.True(json[^1].GetProperty("disconnect").GetBoolean());

        var packets = json.Where(j => j.TryGetProperty("packet", out _)).Select(j => j.GetProperty("packet")).ToList();
        var recordPacket = packets.Single(p => p.GetProperty("id").GetUInt32() == record.PacketId);
        Assert.Equal(0x1A2B3C4Du, recordPacket.GetProperty("to").GetUInt32());
        Assert.Equal(7, recordPacket.GetProperty("hopLimit").GetInt32());
        Assert.True(recordPacket.GetProperty("wantAck").GetBoolean());
        // Port 300 is not a named PortNum value, so JSON shows the number.
        Assert.Equal(300, recordPacket.GetProperty("decoded").GetProperty("portnum").GetInt32());
        Assert.Equal(Enumerable.Repeat((byte)0xA5, 233), Convert.FromBase64String(recordPacket.GetProperty("decoded").GetProperty("payload").GetString()!));

        var textPacket = packets.Single(p => p.GetProperty("id").GetUInt32() == text.PacketId);
        Assert.Equal(MeshtasticNodeNumber.Broadcast, textPacket.GetProperty("to").GetUInt32());
        Assert.Equal(2, textPacket.GetProperty("channel").GetInt32());
        Assert.Equal("TEXT_MESSAGE_APP", textPacket.GetProperty("decoded").GetProperty("portnum").GetString());
        Assert.Equal(99u, textPacket.GetProperty("decoded").GetProperty("replyId").GetUInt32());
        Assert.Equal("1 +3 Tomatoes ✓", Encoding.UTF8.GetString(Convert.FromBase64String(textPacket.GetProperty("decoded").GetProperty("payload").GetString()!)));
    }

    [Fact]
    public async Task FramesMeshtasticProtobufsMakes_DecodeWithOurCodec()
    {
        var made = (await NodeAsync(["make-frames"])).ToDictionary(
            e => e.GetProperty("name").GetString()!,
            e => Convert.FromHexString(e.GetProperty("hex").GetString()!));
        FromRadio Decode(string name)
        {
            var frame = made[name];
            Assert.Equal(System.Buffers.OperationStatus.Done, StreamFraming.TryReadFrame(frame, out var consumed, out var offset, out var length, out _));
            Assert.Equal(frame.Length, consumed);
            Assert.True(MeshtasticCodec.TryDecodeFromRadio(frame.AsSpan(offset, length), out var message));
            return message!;
        }

        var text = Decode("text");
        Assert.Equal(7u, text.Id);
        var packet = MeshtasticPacket.FromProto(text.Packet)!;
        Assert.Equal((0x1A2B3C4Du, 0xDEADBEEFu, 1u, 0x01020304u), (packet.From, packet.To, packet.Channel, packet.Id));
        Assert.Equal((2u, 3u, true, -97, 6.25f, 1_763_781_234u, 99u), (packet.HopLimit, packet.HopStart, packet.WantAck, packet.RxRssi, packet.RxSnr, packet.RxTime, packet.ReplyId));
        Assert.Equal(MeshtasticPortNumbers.TextMessage, packet.PortNumber);
        Assert.Equal("top town week", Encoding.UTF8.GetString(packet.Payload.Span));

        var privatePort = MeshtasticPacket.FromProto(Decode("privatePort").Packet)!;
        Assert.Equal((MeshtasticPortNumbers.Upseed, 233, 0xFFFFFFFEu, 5u, true), (privatePort.PortNumber, privatePort.Payload.Length, privatePort.Id, privatePort.RequestId, privatePort.IsBroadcast));

        var myInfo = Decode("myInfo").MyInfo;
        Assert.Equal((0xDEADBEEFu, 3u, 30200u, "tbeam"), (myInfo.MyNodeNum, myInfo.RebootCount, myInfo.MinAppVersion, myInfo.PioEnv));

        // NodeInfo.position is outside our subset: kept as an unknown field (written back last, so the same length but
        // not the same order), and the rest decodes.
        var node = Decode("nodeInfo").NodeInfo;
        Assert.Equal((0x1A2B3C4Du, "!1a2b3c4d", "Ana's radio", "ANA", HardwareModel.HeltecV3, 2u, 4.5f), (node.Num, node.User.Id, node.User.LongName, node.User.ShortName, node.User.HwModel, node.HopsAway, node.Snr));
        Assert.Equal(made["nodeInfo"].Length - 4, new FromRadio { NodeInfo = node }.CalculateSize());

        var lora = Decode("lora").Config.Lora;
        Assert.Equal((true, Config.Types.LoRaConfig.Types.ModemPreset.LongFast, Config.Types.LoRaConfig.Types.RegionCode.Eu868, 3u), (lora.UsePreset, lora.ModemPreset, lora.Region, lora.HopLimit));
        Assert.Equal([1u, 2u], lora.IgnoreIncoming);

        var channel = Decode("channel").Channel;
        Assert.Equal((0, Channel.Types.Role.Primary, "LongFast"), (channel.Index, channel.Role, channel.Settings.Name));
        Assert.Equal(0x89ABCDEFu, Decode("complete").ConfigCompleteId);
        Assert.Equal(("boot", "Router", LogRecord.Types.Level.Info), (Decode("log").LogRecord.Message, Decode("log").LogRecord.Source, Decode("log").LogRecord.Level));
        Assert.True(Decode("rebooted").Rebooted);
    }

    private static async Task<List<JsonElement>> NodeAsync(string[] arguments, [CallerFilePath] string sourceFile = "")
    {
        var folder = Path.Combine(Path.GetDirectoryName(sourceFile)!, "js");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@meshtastic", "protobufs")))
        {
            Assert.Fail($"Run 'npm ci' in {folder} first (tools/test does).");
        }

        var result = await ProcessRunner.RunAsync("node", [Path.Combine(folder, "interop.mjs"), .. arguments]);
        Assert.True(result.ExitCode == 0, $"node failed ({result.ExitCode}): {result.StandardError}");
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
    }
}
