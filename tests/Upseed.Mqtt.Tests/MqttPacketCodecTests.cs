using System.Buffers;
using Upseed.Mqtt.Formatter;
using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Tests;

public sealed class MqttPacketCodecTests
{
    private static readonly MqttCodecOptions s_options = MqttCodecOptions.Default;

    // MQTT 3.1.1 §2.2.3, Table 2.4: the boundaries of each Remaining Length size.
    [Theory]
    [InlineData(0, "00")]
    [InlineData(127, "7F")]
    [InlineData(128, "8001")]
    [InlineData(16_383, "FF7F")]
    [InlineData(16_384, "808001")]
    [InlineData(2_097_151, "FFFF7F")]
    [InlineData(2_097_152, "80808001")]
    [InlineData(268_435_455, "FFFFFF7F")]
    public void VariableByteInteger_SpecTable_RoundTrips(int value, string hex)
    {
        var status = MqttPacketCodec.TryReadVariableByteInteger(Convert.FromHexString(hex), out var decoded, out var length);
        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(value, decoded);
        Assert.Equal(hex.Length / 2, length);
        Assert.Equal(hex.Length / 2, MqttPacketCodec.VariableByteIntegerSize(value));
    }

    [Theory]
    [InlineData("FFFFFFFF01")] // a fifth byte: over 268,435,455
    [InlineData("FFFFFF80")] // the fourth byte continues
    [InlineData("8000")] // 0 in two bytes: not minimal
    [InlineData("FF8000")] // 127 in three bytes: not minimal
    public void VariableByteInteger_Malformed_Throws(string hex)
    {
        var ex = Assert.Throws<MqttProtocolException>(() => MqttPacketCodec.TryReadVariableByteInteger(Convert.FromHexString(hex), out _, out _));
        Assert.Equal(MqttProtocolError.MalformedVariableByteInteger, ex.Error);
    }

    [Fact]
    public void FixedHeader_OversizedLength_RefusedBeforeBody()
    {
        // 30 FF FF FF 7F: a PUBLISH claiming 268,435,455 bytes, with no body at all. The header alone is enough to refuse it.
        var ex = Assert.Throws<MqttProtocolException>(() => MqttPacketCodec.TryReadFixedHeader(Convert.FromHexString("30FFFFFF7F"), s_options, out _));
        Assert.Equal(MqttProtocolError.PacketTooLarge, ex.Error);
        Assert.Contains("limit", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("C000", MqttPacketType.PingReq)] // §3.12
    [InlineData("D000", MqttPacketType.PingResp)] // §3.13
    [InlineData("E000", MqttPacketType.Disconnect)] // §3.14
    public void Decode_EmptyPackets_SpecBytes(string hex, MqttPacketType type)
    {
        var status = MqttPacketCodec.TryDecode(Convert.FromHexString(hex), MqttProtocolVersion.V311, s_options, out var packet, out var consumed);
        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(2, consumed);
        Assert.Equal(type, packet!.Type);
        Assert.Equal(hex, Convert.ToHexString(MqttPacketCodec.Encode(packet, MqttProtocolVersion.V311)));
    }

    [Fact]
    public void Encode_Connect_MatchesSpecVariableHeader()
    {
        // MQTT 3.1.1 §3.1.2.10, Figure 3.6: 00 04 'MQTT' 04 CE 00 0A (user, password, will QoS 1, will, clean session; keep-alive 10).
        var packet = new ConnectPacket
        {
            ClientId = "c",
            CleanSession = true,
            KeepAliveSeconds = 10,
            UserName = "u",
            Password = "p"u8.ToArray(),
            Will = new MqttWill("w", "x"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false),
        };
        var bytes = MqttPacketCodec.Encode(packet, MqttProtocolVersion.V311);
        Assert.Equal("00044D51545404CE000A", Convert.ToHexString(bytes.AsSpan(2, 10)));
        var decoded = (ConnectPacket)Decode(bytes, MqttProtocolVersion.V311);
        Assert.Equal("c", decoded.ClientId);
        Assert.Equal("u", decoded.UserName);
        Assert.Equal("p"u8.ToArray(), decoded.Password!.Value.ToArray());
        Assert.Equal("w", decoded.Will!.Topic);
        Assert.True(decoded.CleanSession);
    }

    [Fact]
    public void Decode_ConnectWithWillAndNoPassword_ReencodesWithoutPassword()
    {
        // Fuzz regression: a CONNECT without the password flag decoded as an empty password, then refused to re-encode.
        var bytes = Convert.FromHexString("103100044D515454040E001E0016757073656564303132333435363738396162636465660005616C6963650006733363726574");
        var decoded = (ConnectPacket)Decode(bytes, MqttProtocolVersion.V311);
        Assert.Null(decoded.Password);
        Assert.Null(decoded.UserName);
        Assert.Equal("alice", decoded.Will!.Topic);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(MqttPacketCodec.Encode(decoded, MqttProtocolVersion.V311)));
    }

    [Fact]
    public void Encode_PublishQos1_MatchesSpecExample()
    {
        // MQTT 3.1.1 §3.3.2.3, Figure 3.11: topic "a/b", packet identifier 10; then the payload.
        var packet = new PublishPacket { Topic = "a/b", PacketId = 10, QualityOfService = MqttQualityOfService.AtLeastOnce, Payload = "hi"u8.ToArray() };
        var bytes = MqttPacketCodec.Encode(packet, MqttProtocolVersion.V311);
        Assert.Equal("3209" + "0003612F62" + "000A" + "6869", Convert.ToHexString(bytes));
        var decoded = (PublishPacket)Decode(bytes, MqttProtocolVersion.V311);
        Assert.Equal("a/b", decoded.Topic);
        Assert.Equal(10, decoded.PacketId);
        Assert.Equal("hi"u8.ToArray(), decoded.Payload.ToArray());
    }

    [Fact]
    public void Decode_SubAck_SpecExample()
    {
        // MQTT 3.1.1 §3.9.3, Figure 3.26: granted QoS 0, granted QoS 2, failure.
        var decoded = (SubAckPacket)Decode(Convert.FromHexString("9005" + "0001" + "000280"), MqttProtocolVersion.V311);
        Assert.Equal([0x00, 0x02, 0x80], decoded.ReasonCodes);
    }

    [Fact]
    public void PubAck_V5_ShortFormMeansSuccess()
    {
        // MQTT 5 §3.4.2.1: Remaining Length 2 = reason 0x00, no properties.
        var decoded = (PubAckPacket)Decode(Convert.FromHexString("40020007"), MqttProtocolVersion.V500);
        Assert.Equal(7, decoded.PacketId);
        Assert.Equal(0, decoded.ReasonCode);
        var failed = (PubAckPacket)Decode(Convert.FromHexString("4003000787"), MqttProtocolVersion.V500);
        Assert.Equal(0x87, failed.ReasonCode);
    }

    [Fact]
    public void ConnAck_V5_PropertiesRead()
    {
        var packet = new ConnAckPacket
        {
            SessionPresent = true,
            Properties = new MqttProperties([
                new MqttProperty(MqttPropertyId.ReceiveMaximum, 20),
                new MqttProperty(MqttPropertyId.AssignedClientIdentifier, Text: "auto-1"),
                new MqttProperty(MqttPropertyId.UserProperty, Text: "k", PairValue: "v"),
            ]),
        };
        var decoded = (ConnAckPacket)Decode(MqttPacketCodec.Encode(packet, MqttProtocolVersion.V500), MqttProtocolVersion.V500);
        Assert.True(decoded.SessionPresent);
        Assert.True(decoded.Properties.TryGetInteger(MqttPropertyId.ReceiveMaximum, out var receiveMaximum));
        Assert.Equal(20u, receiveMaximum);
        Assert.True(decoded.Properties.TryGetText(MqttPropertyId.AssignedClientIdentifier, out var id));
        Assert.Equal("auto-1", id);
    }

    [Theory]
    [InlineData("3600000161", MqttProtocolError.InvalidQualityOfService)] // PUBLISH with QoS 3
    [InlineData("38030001 61", MqttProtocolError.InvalidQualityOfService)] // DUP on QoS 0
    [InlineData("8005000100016100", MqttProtocolError.InvalidFlags)] // SUBSCRIBE with flags 0000
    [InlineData("C100", MqttProtocolError.InvalidFlags)] // PINGREQ with a flag
    [InlineData("0000", MqttProtocolError.UnknownPacketType)] // reserved type 0
    [InlineData("5002 0001", MqttProtocolError.UnsupportedPacketType)] // PUBREC: QoS 2 is not supported
    [InlineData("40020000", MqttProtocolError.ZeroPacketIdentifier)] // PUBACK for id 0
    [InlineData("3005 0003 612F23", MqttProtocolError.InvalidTopic)] // PUBLISH to "a/#"
    [InlineData("3004 0002 C328", MqttProtocolError.InvalidString)] // topic is invalid UTF-8
    [InlineData("3004 0002 6100", MqttProtocolError.InvalidString)] // topic holds U+0000
    [InlineData("3004 0005 6162", MqttProtocolError.Truncated)] // topic length runs past the packet
    [InlineData("D001 00", MqttProtocolError.TrailingBytes)] // PINGRESP with a body
    [InlineData("2002 0006", MqttProtocolError.InvalidReasonCode)] // CONNACK return code 6
    [InlineData("2002 0104", MqttProtocolError.InvalidConnectFlags)] // refused CONNACK with session present
    [InlineData("9003 0001 03", MqttProtocolError.InvalidReasonCode)] // SUBACK granted QoS 3
    [InlineData("9002 0001", MqttProtocolError.InvalidEntryCount)] // SUBACK without codes
    public void Decode_V311Violations_ThrowWithReason(string hex, MqttProtocolError error)
    {
        var ex = Assert.Throws<MqttProtocolException>(() => Decode(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), MqttProtocolVersion.V311));
        Assert.Equal(error, ex.Error);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Theory]
    [InlineData("2006 0000 03 210000", MqttProtocolError.InvalidProperty)] // Receive Maximum 0
    [InlineData("2008 0000 05 2100142114", MqttProtocolError.InvalidProperty)] // Receive Maximum twice
    [InlineData("2005 0000 02 1101", MqttProtocolError.Truncated)] // Session Expiry cut short
    [InlineData("2007 0000 04 02000001", MqttProtocolError.InvalidProperty)] // Message Expiry belongs to PUBLISH, not CONNACK
    [InlineData("2004 0000 01 7F", MqttProtocolError.InvalidProperty)] // undefined property 0x7F
    [InlineData("2006 0000 03 230001", MqttProtocolError.InvalidProperty)] // Topic Alias in a CONNACK
    [InlineData("4003 0001 05", MqttProtocolError.InvalidReasonCode)] // PUBACK reason 0x05
    public void Decode_V5Violations_ThrowWithReason(string hex, MqttProtocolError error)
    {
        var ex = Assert.Throws<MqttProtocolException>(() => Decode(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), MqttProtocolVersion.V500));
        Assert.Equal(error, ex.Error);
    }

    [Fact]
    public void Decode_TopicOverLimit_Throws()
    {
        var packet = new PublishPacket { Topic = new string('t', 2000), Payload = new byte[1] };
        var ex = Assert.Throws<MqttProtocolException>(() => Decode(MqttPacketCodec.Encode(packet, MqttProtocolVersion.V311), MqttProtocolVersion.V311));
        Assert.Equal(MqttProtocolError.FieldTooLong, ex.Error);
    }

    [Theory]
    [InlineData("a/+/c", null)]
    [InlineData("#", null)]
    [InlineData("a/#", null)]
    [InlineData("+", null)]
    [InlineData("a/#/c", "'#'")] // §4.7.1.2: '#' is last
    [InlineData("a#", "'#'")]
    [InlineData("a+/b", "'+'")] // §4.7.1.3: '+' is a whole level
    public void TopicFilterProblem_SpecRules(string filter, string? expected)
    {
        var problem = MqttPacketCodec.TopicFilterProblem(filter);
        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(expected, problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Encode_InvalidPackets_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => MqttPacketCodec.Encode(new PublishPacket { Topic = "a/+", Payload = new byte[1] }, MqttProtocolVersion.V311));
        Assert.Throws<ArgumentException>(() => MqttPacketCodec.Encode(new PublishPacket { Topic = "a", QualityOfService = MqttQualityOfService.AtLeastOnce }, MqttProtocolVersion.V311));
        Assert.Throws<ArgumentException>(() => MqttPacketCodec.Encode(new SubscribePacket(1, []), MqttProtocolVersion.V311));
        Assert.Throws<ArgumentException>(() => MqttPacketCodec.Encode(new PubAckPacket(0), MqttProtocolVersion.V311));
    }

    public static TheoryData<string> SamplePacketNames() => [.. CodecSamples.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(SamplePacketNames))]
    public void RoundTrip_EverySample_ReencodesToSameBytes(string name)
    {
        var (_, packet, version) = CodecSamples.All.Single(s => s.Name == name);
        var bytes = MqttPacketCodec.Encode(packet, version);
        Assert.Equal(bytes.Length, MqttPacketCodec.Measure(packet, version));
        var decoded = Decode(bytes, version);
        Assert.Equal(packet.Type, decoded.Type);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(MqttPacketCodec.Encode(decoded, version)));
    }

    [Theory]
    [MemberData(nameof(SamplePacketNames))]
    public void Framing_EverySplit_YieldsSamePacket(string name)
    {
        var (_, packet, version) = CodecSamples.All.Single(s => s.Name == name);
        var bytes = MqttPacketCodec.Encode(packet, version);
        var twice = bytes.Concat(bytes).ToArray();
        for (var split = 0; split <= twice.Length; split++)
        {
            var framer = new MqttFrameBuffer(s_options);
            var packets = new List<MqttPacket>();
            framer.Append(twice.AsSpan(0, split));
            while (framer.TryRead(version, out var p))
            {
                packets.Add(p);
            }

            framer.Append(twice.AsSpan(split));
            while (framer.TryRead(version, out var p))
            {
                packets.Add(p);
            }

            Assert.Equal(2, packets.Count);
            Assert.All(packets, p => Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(MqttPacketCodec.Encode(p, version))));
            framer.Dispose();
        }
    }

    private static MqttPacket Decode(byte[] bytes, MqttProtocolVersion version)
    {
        var status = MqttPacketCodec.TryDecode(bytes, version, s_options, out var packet, out var consumed);
        if (status == OperationStatus.NeedMoreData)
        {
            throw new MqttProtocolException(MqttProtocolError.Truncated, "Test input is incomplete.");
        }

        Assert.Equal(bytes.Length, consumed);
        return packet!;
    }
}
