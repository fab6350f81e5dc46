using System.Buffers;
using System.Text;
using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Formatter;

/// <summary>
/// Span-based encoder and strict decoder of MQTT 3.1.1 and MQTT 5 control packets. Decoding is in two steps so a
/// transport can check the length before it buffers the body: <see cref="TryReadFixedHeader"/> (needs at most 5
/// bytes; refuses a packet over <see cref="MqttCodecOptions.MaxPacketSize"/>), then <see cref="DecodeBody"/>.
/// Malformed input throws <see cref="MqttProtocolException"/>; incomplete input returns
/// <see cref="OperationStatus.NeedMoreData"/>.
/// </summary>
public static class MqttPacketCodec
{
    /// <summary>The largest Remaining Length a 4-byte Variable Byte Integer holds, <c>FF FF FF 7F</c> (§2.2.3).</summary>
    public const int MaxRemainingLength = 268_435_455;

    /// <summary>A fixed header is at most 1 + 4 bytes.</summary>
    public const int MaxFixedHeaderLength = 5;

    private static readonly HashSet<byte> s_connAck5 = [0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F];
    private static readonly HashSet<byte> s_pubAck5 = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99];
    private static readonly HashSet<byte> s_subAck5 = [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2];
    private static readonly HashSet<byte> s_unsubAck5 = [0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91];
    private static readonly HashSet<byte> s_disconnect5 = [0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2];
    private static readonly HashSet<byte> s_subAck311 = [0x00, 0x01, 0x02, 0x80];

    // ---------- decoding ----------

    /// <summary>
    /// Reads a Variable Byte Integer: 7 bits per byte, low group first, at most 4 bytes, and minimally encoded
    /// (a trailing 0x00 group, as in <c>80 00</c>, is refused: MQTT 5 §1.5.5 "the minimum number of bytes").
    /// </summary>
    /// <exception cref="MqttProtocolException">More than 4 bytes, or not minimal.</exception>
    public static OperationStatus TryReadVariableByteInteger(ReadOnlySpan<byte> buffer, out int value, out int length)
    {
        value = 0;
        length = 0;
        var multiplier = 1;
        for (var i = 0; i < 4; i++)
        {
            if (i >= buffer.Length)
            {
                return OperationStatus.NeedMoreData;
            }

            var digit = buffer[i];
            if (i > 0 && digit == 0)
            {
                MqttProtocolException.Throw(MqttProtocolError.MalformedVariableByteInteger, "A variable byte integer is not minimally encoded (a trailing zero group).");
            }

            value += (digit & 0x7F) * multiplier;
            if ((digit & 0x80) == 0)
            {
                length = i + 1;
                return OperationStatus.Done;
            }

            multiplier <<= 7;
        }

        MqttProtocolException.Throw(MqttProtocolError.MalformedVariableByteInteger, "A variable byte integer runs past 4 bytes (the Remaining Length limit is 268,435,455).");
        return OperationStatus.InvalidData;
    }

    /// <summary>
    /// Reads the fixed header and checks the packet's type, flags and length against <paramref name="options"/>,
    /// before any of the body is buffered.
    /// </summary>
    /// <exception cref="MqttProtocolException">A reserved type, wrong flags, a malformed length, or a packet over the size limit.</exception>
    public static OperationStatus TryReadFixedHeader(ReadOnlySpan<byte> buffer, MqttCodecOptions options, out MqttFixedHeader header)
    {
        ArgumentNullException.ThrowIfNull(options);
        header = default;
        if (buffer.IsEmpty)
        {
            return OperationStatus.NeedMoreData;
        }

        var type = (MqttPacketType)(buffer[0] >> 4);
        var flags = (byte)(buffer[0] & 0x0F);
        if (type == 0)
        {
            MqttProtocolException.Throw(MqttProtocolError.UnknownPacketType, "Packet type 0 is reserved.");
        }

        CheckFlags(type, flags);
        var status = TryReadVariableByteInteger(buffer[1..], out var remaining, out var lengthSize);
        if (status != OperationStatus.Done)
        {
            return status;
        }

        var total = 1L + lengthSize + remaining;
        if (total > options.MaxPacketSize)
        {
            MqttProtocolException.Throw(MqttProtocolError.PacketTooLarge, $"A {type} packet of {total} bytes is over the {options.MaxPacketSize}-byte limit.");
        }

        header = new MqttFixedHeader(type, flags, remaining, 1 + lengthSize);
        return OperationStatus.Done;
    }

    /// <summary>Decodes one whole packet from the start of <paramref name="buffer"/>.</summary>
    /// <exception cref="MqttProtocolException">The bytes are not a valid packet.</exception>
    public static OperationStatus TryDecode(ReadOnlySpan<byte> buffer, MqttProtocolVersion version, MqttCodecOptions options, out MqttPacket? packet, out int consumed)
    {
        packet = null;
        consumed = 0;
        var status = TryReadFixedHeader(buffer, options, out var header);
        if (status != OperationStatus.Done)
        {
            return status;
        }

        if (buffer.Length < header.PacketLength)
        {
            return OperationStatus.NeedMoreData;
        }

        packet = DecodeBody(header, buffer.Slice(header.HeaderLength, header.RemainingLength), version, options);
        consumed = header.PacketLength;
        return OperationStatus.Done;
    }

    /// <summary>Decodes a packet's body (exactly <see cref="MqttFixedHeader.RemainingLength"/> bytes). Payloads are copied.</summary>
    /// <exception cref="MqttProtocolException">The body is not valid for the type and version.</exception>
    public static MqttPacket DecodeBody(MqttFixedHeader header, ReadOnlySpan<byte> body, MqttProtocolVersion version, MqttCodecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (body.Length != header.RemainingLength)
        {
            throw new ArgumentException("The body must be exactly the Remaining Length.", nameof(body));
        }

        CheckFlags(header.Type, header.Flags);
        var reader = new MqttSpanReader(body);
        var v5 = version == MqttProtocolVersion.V500;
        MqttPacket packet = header.Type switch
        {
            MqttPacketType.Connect => ReadConnect(ref reader, options),
            MqttPacketType.ConnAck => ReadConnAck(ref reader, v5, options),
            MqttPacketType.Publish => ReadPublish(ref reader, header.Flags, v5, options),
            MqttPacketType.PubAck => ReadPubAck(ref reader, v5, options),
            MqttPacketType.Subscribe => ReadSubscribe(ref reader, v5, options),
            MqttPacketType.SubAck => ReadSubAck(ref reader, v5, options),
            MqttPacketType.Unsubscribe => ReadUnsubscribe(ref reader, v5, options),
            MqttPacketType.UnsubAck => ReadUnsubAck(ref reader, v5, options),
            MqttPacketType.PingReq => PingReqPacket.Instance,
            MqttPacketType.PingResp => PingRespPacket.Instance,
            MqttPacketType.Disconnect => ReadDisconnect(ref reader, v5, options),
            _ => throw new MqttProtocolException(MqttProtocolError.UnsupportedPacketType, $"{header.Type} is not supported: this client works at QoS 0 and 1 and authenticates with a user name and password."),
        };
        reader.ExpectEnd(header.Type.ToString());
        return packet;
    }

    private static void CheckFlags(MqttPacketType type, byte flags)
    {
        switch (type)
        {
            case MqttPacketType.Publish:
                var qos = (flags >> 1) & 0x03;
                if (qos == 3)
                {
                    MqttProtocolException.Throw(MqttProtocolError.InvalidQualityOfService, "A PUBLISH has both QoS bits set [MQTT-3.3.1-4].");
                }

                if (qos == 0 && (flags & 0x08) != 0)
                {
                    MqttProtocolException.Throw(MqttProtocolError.InvalidQualityOfService, "A QoS 0 PUBLISH has DUP set [MQTT-3.3.1-2].");
                }

                break;
            case MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe:
                if (flags != 0x02)
                {
                    MqttProtocolException.Throw(MqttProtocolError.InvalidFlags, $"{type} must carry flags 0010, not {Convert.ToString(flags, 2).PadLeft(4, '0')} (§2.2.2).");
                }

                break;
            default:
                if (flags != 0)
                {
                    MqttProtocolException.Throw(MqttProtocolError.InvalidFlags, $"{type} must carry flags 0000, not {Convert.ToString(flags, 2).PadLeft(4, '0')} (§2.2.2).");
                }

                break;
        }
    }

    private static ConnectPacket ReadConnect(ref MqttSpanReader reader, MqttCodecOptions options)
    {
        var name = reader.ReadBinary("protocol name");
        if (!name.SequenceEqual("MQTT"u8))
        {
            MqttProtocolException.Throw(MqttProtocolError.UnsupportedProtocol, "The protocol name is not \"MQTT\" [MQTT-3.1.2-1].");
        }

        var level = reader.ReadByte("protocol level");
        if (level is not ((byte)MqttProtocolVersion.V311 or (byte)MqttProtocolVersion.V500))
        {
            MqttProtocolException.Throw(MqttProtocolError.UnsupportedProtocol, $"Protocol level {level} is neither 4 (3.1.1) nor 5.");
        }

        var v5 = level == (byte)MqttProtocolVersion.V500;
        var flags = reader.ReadByte("connect flags");
        var keepAlive = reader.ReadUInt16("keep alive");
        if ((flags & 0x01) != 0)
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidConnectFlags, "The reserved CONNECT flag is set [MQTT-3.1.2-3].");
        }

        var hasWill = (flags & 0x04) != 0;
        var willQos = (flags >> 3) & 0x03;
        var willRetain = (flags & 0x20) != 0;
        if (willQos == 3 || (!hasWill && (willQos != 0 || willRetain)))
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidConnectFlags, "The Will QoS or Will Retain flags are invalid [MQTT-3.1.2-11..15].");
        }

        var hasUser = (flags & 0x80) != 0;
        var hasPassword = (flags & 0x40) != 0;
        if (!v5 && hasPassword && !hasUser)
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidConnectFlags, "A password without a user name [MQTT-3.1.2-22].");
        }

        var properties = v5 ? MqttPropertyCodec.Read(ref reader, MqttPropertyCodec.ContextOf(MqttPacketType.Connect), options) : MqttProperties.Empty;
        var clientId = reader.ReadString("client identifier");
        MqttWill? will = null;
        if (hasWill)
        {
            if (v5)
            {
                _ = MqttPropertyCodec.Read(ref reader, MqttPropertyCodec.WillContext, options);
            }

            var topic = ReadTopicName(ref reader, options, "will topic");
            var payload = reader.ReadBinary("will payload").ToArray();
            will = new MqttWill(topic, payload, (MqttQualityOfService)willQos, willRetain);
        }

        var user = hasUser ? reader.ReadString("user name") : null;
        ReadOnlyMemory<byte>? password = hasPassword ? reader.ReadBinary("password").ToArray() : default(ReadOnlyMemory<byte>?);
        return new ConnectPacket
        {
            ProtocolVersion = (MqttProtocolVersion)level,
            ClientId = clientId,
            CleanSession = (flags & 0x02) != 0,
            KeepAliveSeconds = keepAlive,
            UserName = user,
            Password = password,
            Will = will,
            Properties = properties,
        };
    }

    private static ConnAckPacket ReadConnAck(ref MqttSpanReader reader, bool v5, MqttCodecOptions options)
    {
        var flags = reader.ReadByte("acknowledge flags");
        if ((flags & 0xFE) != 0)
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidConnectFlags, "Reserved CONNACK flags are set [MQTT-3.2.2-1].");
        }

        var code = reader.ReadByte("return code");
        if (v5 ? !s_connAck5.Contains(code) : code > 5)
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidReasonCode, $"CONNACK code 0x{code:X2} is not defined.");
        }

        if (code != 0 && (flags & 0x01) != 0)
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidConnectFlags, "A refused CONNACK claims a session is present [MQTT-3.2.2-4].");
        }

        var properties = v5 ? MqttPropertyCodec.Read(ref reader, MqttPropertyCodec.ContextOf(MqttPacketType.ConnAck), options) : MqttProperties.Empty;
        return new ConnAckPacket { SessionPresent = (flags & 0x01) != 0, ReasonCode = code, Properties = properties };
    }

    private static PublishPacket ReadPublish(ref MqttSpanReader reader, byte flags, bool v5, MqttCodecOptions options)
    {
        var qos = (MqttQualityOfService)((flags >> 1) & 0x03);
        var topic = ReadTopicName(ref reader, options, "topic name");
        ushort packetId = 0;
        if (qos != MqttQualityOfService.AtMostOnce)
        {
            packetId = ReadPacketId(ref reader);
        }

        var properties = v5 ? MqttPropertyCodec.Read(ref reader, MqttPropertyCodec.ContextOf(MqttPacketType.Publish), options) : MqttProperties.Empty;
        var payload = reader.ReadBytes(reader.Remaining, "payload").ToArray();
        return new PublishPacket
        {
            Topic = topic,
            Payload = payload,
            QualityOfService = qos,
            Dup = (flags & 0x08) != 0,
            Retain = (flags & 0x01) != 0,
            PacketId = packetId,
            Properties = properties,
        };
    }

    private static PubAckPacket ReadPubAck(ref MqttSpanReader reader, bool v5, MqttCodecOptions options)
    {
        var id = ReadPacketId(ref reader);
        if (!v5 || reader.Remaining == 0)
        {
            // MQTT 5 §3.4.2.1: a Remaining Length of 2 means reason 0x00 and no properties.
            return new PubAckPacket(id);
        }

        var code = reader.ReadByte("reason code");
        if (!s_pubAck5.Contains(code))
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidReasonCode, $"PUBACK reason code 0x{code:X2} is not defined.");
        }

        var properties = reader.Remaining == 0 ? MqttProperties.Empty : MqttPropertyCodec.Read(ref reader, MqttPropertyCodec.ContextOf(MqttPacketType.PubAck), options);
        return new PubAckPacket(id, code) { Properties = properties };
    }

    private static SubscribePacket ReadSubscribe(ref MqttSpanReader reader, bool v5, MqttCodecOptions options)
    {
        var id = ReadPacketId(ref reader);
        var properties = v5 ? MqttPropertyCodec.Read(ref reader, MqttPropertyCodec.ContextOf(MqttPacketType.Subscribe), options) : MqttProperties.Empty;
        var subscriptions = new List<MqttSubscription>();
        while (reader.Remaining > 0)
        {
            CheckEntryCount(subscriptions.Count, options, "SUBSCRIBE");
            var filter = ReadTopicFilter(ref reader, options);
            var choice = reader.ReadByte("subscription options");
            // 3.1.1 §3.8.3.1: only the two QoS bits; MQTT 5 §3.8.3.1: bits 6-7 reserved, Retain Handling 3 invalid.
            var reservedMask = v5 ? 0xC0 : 0xFC;
            if ((choice & reservedMask) != 0 || (choice & 0x03) == 3 || ((choice >> 4) & 0x03) == 3)
            {
                MqttProtocolException.Throw(MqttProtocolError.InvalidFlags, $"Subscription options 0x{choice:X2} are invalid [MQTT-3.8.3-4, MQTT-3-8.3-5].");
            }

            subscriptions.Add(new MqttSubscription(filter, (MqttQualityOfService)(choice & 0x03), (choice & 0x04) != 0, (choice & 0x08) != 0, (byte)((choice >> 4) & 0x03)));
        }

        if (subscriptions.Count == 0)
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidEntryCount, "A SUBSCRIBE has no topic filter [MQTT-3.8.3-3].");
        }

        return new SubscribePacket(id, subscriptions) { Properties = properties };
    }

    private static SubAckPacket ReadSubAck(ref MqttSpanReader reader, bool v5, MqttCodecOptions options)
    {
        var id = ReadPacketId(ref reader);
        var properties = v5 ? MqttPropertyCodec.Read(ref reader, MqttPropertyCodec.ContextOf(MqttPacketType.SubAck), options) : MqttProperties.Empty;
        var codes = ReadCodes(ref reader, options, v5 ? s_subAck5 : s_subAck311, "SUBACK");
        return new SubAckPacket(id, codes) { Properties = properties };
    }

    private static UnsubscribePacket ReadUnsubscribe(ref MqttSpanReader reader, bool v5, MqttCodecOptions options)
    {
        var id = ReadPacketId(ref reader);
        var properties = v5 ? MqttPropertyCodec.Read(ref reader, MqttPropertyCodec.ContextOf(MqttPacketType.Unsubscribe), options) : MqttProperties.Empty;
        var filters = new List<string>();
        while (reader.Remaining > 0)
        {
            CheckEntryCount(filters.Count, options, "UNSUBSCRIBE");
            filters.Add(ReadTopicFilter(ref reader, options));
        }

        if (filters.Count == 0)
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidEntryCount, "An UNSUBSCRIBE has no topic filter [MQTT-3.10.3-2].");
        }

        return new UnsubscribePacket(id, filters) { Properties = properties };
    }

    private static UnsubAckPacket ReadUnsubAck(ref MqttSpanReader reader, bool v5, MqttCodecOptions options)
    {
        var id = ReadPacketId(ref reader);
        if (!v5)
        {
            return new UnsubAckPacket(id, []);
        }

        var properties = MqttPropertyCodec.Read(ref reader, MqttPropertyCodec.ContextOf(MqttPacketType.UnsubAck), options);
        var codes = ReadCodes(ref reader, options, s_unsubAck5, "UNSUBACK");
        return new UnsubAckPacket(id, codes) { Properties = properties };
    }

    private static DisconnectPacket ReadDisconnect(ref MqttSpanReader reader, bool v5, MqttCodecOptions options)
    {
        if (!v5 || reader.Remaining == 0)
        {
            return new DisconnectPacket();
        }

        var code = reader.ReadByte("reason code");
        if (!s_disconnect5.Contains(code))
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidReasonCode, $"DISCONNECT reason code 0x{code:X2} is not defined.");
        }

        var properties = reader.Remaining == 0 ? MqttProperties.Empty : MqttPropertyCodec.Read(ref reader, MqttPropertyCodec.ContextOf(MqttPacketType.Disconnect), options);
        return new DisconnectPacket(code) { Properties = properties };
    }

    private static byte[] ReadCodes(ref MqttSpanReader reader, MqttCodecOptions options, HashSet<byte> allowed, string packet)
    {
        if (reader.Remaining == 0 || reader.Remaining > options.MaxEntries)
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidEntryCount, $"A {packet} carries {reader.Remaining} codes; 1 to {options.MaxEntries} are accepted.");
        }

        var codes = reader.ReadBytes(reader.Remaining, "codes").ToArray();
        foreach (var code in codes)
        {
            if (!allowed.Contains(code))
            {
                MqttProtocolException.Throw(MqttProtocolError.InvalidReasonCode, $"{packet} code 0x{code:X2} is not defined.");
            }
        }

        return codes;
    }

    private static void CheckEntryCount(int count, MqttCodecOptions options, string packet)
    {
        if (count >= options.MaxEntries)
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidEntryCount, $"A {packet} carries more than {options.MaxEntries} topic filters.");
        }
    }

    private static ushort ReadPacketId(ref MqttSpanReader reader)
    {
        var id = reader.ReadUInt16("packet identifier");
        if (id == 0)
        {
            MqttProtocolException.Throw(MqttProtocolError.ZeroPacketIdentifier, "The packet identifier is 0 [MQTT-2.3.1-1].");
        }

        return id;
    }

    private static string ReadTopicName(ref MqttSpanReader reader, MqttCodecOptions options, string field)
    {
        var topic = reader.ReadString(field, options.MaxTopicLength);
        var problem = TopicNameProblem(topic);
        if (problem is not null)
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidTopic, $"The {field} '{Printable(topic)}' is invalid: {problem}.");
        }

        return topic;
    }

    private static string ReadTopicFilter(ref MqttSpanReader reader, MqttCodecOptions options)
    {
        var filter = reader.ReadString("topic filter", options.MaxTopicLength);
        var problem = TopicFilterProblem(filter);
        if (problem is not null)
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidTopic, $"The topic filter '{Printable(filter)}' is invalid: {problem}.");
        }

        return filter;
    }

    /// <summary>Why a topic name is invalid (§4.7.3): empty, or holding a wildcard; null when it is valid.</summary>
    public static string? TopicNameProblem(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.Length == 0)
        {
            return "a topic name has at least one character [MQTT-4.7.3-1]";
        }

        return topic.AsSpan().IndexOfAny('+', '#') >= 0 ? "a topic name holds no wildcard [MQTT-3.3.2-2]" : null;
    }

    /// <summary>Why a topic filter is invalid (§4.7.1): misplaced <c>#</c> or <c>+</c>; null when it is valid.</summary>
    public static string? TopicFilterProblem(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Length == 0)
        {
            return "a topic filter has at least one character [MQTT-4.7.3-1]";
        }

        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#', StringComparison.Ordinal) && (level.Length != 1 || i != levels.Length - 1))
            {
                return "'#' stands alone as the last level [MQTT-4.7.1-2]";
            }

            if (level.Contains('+', StringComparison.Ordinal) && level.Length != 1)
            {
                return "'+' occupies a whole level [MQTT-4.7.1-3]";
            }
        }

        return null;
    }

    private static string Printable(string text)
    {
        var shown = text.Length > 64 ? text[..64] + "..." : text;
        return string.Concat(shown.Select(c => char.IsControl(c) ? '?' : c));
    }

    // ---------- encoding ----------

    /// <summary>Bytes a Variable Byte Integer takes (1-4).</summary>
    public static int VariableByteIntegerSize(int value) => value switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(value)),
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        <= MaxRemainingLength => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Over the 268,435,455 Variable Byte Integer limit."),
    };

    internal static int StringSize(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException($"A string of {length} UTF-8 bytes is over the 65,535-byte limit of MQTT strings.", nameof(value));
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("MQTT strings may not contain U+0000 [MQTT-1.5.3-2].", nameof(value));
        }

        return 2 + length;
    }

    /// <summary>The whole encoded size of <paramref name="packet"/> under <paramref name="version"/>.</summary>
    /// <exception cref="ArgumentException">The packet breaks a rule the codec would refuse on decode (a zero packet id, a wildcard topic...).</exception>
    public static int Measure(MqttPacket packet, MqttProtocolVersion version)
    {
        var body = MeasureBody(packet, version);
        return 1 + VariableByteIntegerSize(body) + body;
    }

    /// <summary>Encodes a packet to a new array.</summary>
    /// <exception cref="ArgumentException">The packet breaks a rule (see <see cref="Measure"/>).</exception>
    public static byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        var bytes = new byte[Measure(packet, version)];
        Encode(packet, version, bytes);
        return bytes;
    }

    /// <summary>Encodes a packet into a buffer writer; returns the bytes written.</summary>
    public static int Encode(MqttPacket packet, MqttProtocolVersion version, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var size = Measure(packet, version);
        var span = writer.GetSpan(size);
        Encode(packet, version, span);
        writer.Advance(size);
        return size;
    }

    /// <summary>Encodes a packet into <paramref name="destination"/> (at least <see cref="Measure"/> bytes); returns the bytes written.</summary>
    public static int Encode(MqttPacket packet, MqttProtocolVersion version, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var body = MeasureBody(packet, version);
        var writer = new MqttSpanWriter(destination);
        writer.WriteByte((byte)(((int)packet.Type << 4) | FlagsOf(packet)));
        writer.WriteVariableByteInteger(body);
        var v5 = version == MqttProtocolVersion.V500;
        switch (packet)
        {
            case ConnectPacket connect:
                WriteConnect(ref writer, connect);
                break;
            case ConnAckPacket connAck:
                writer.WriteByte(connAck.SessionPresent ? (byte)1 : (byte)0);
                writer.WriteByte(connAck.ReasonCode);
                if (v5)
                {
                    MqttPropertyCodec.Write(ref writer, connAck.Properties);
                }

                break;
            case PublishPacket publish:
                writer.WriteString(publish.Topic);
                if (publish.QualityOfService != MqttQualityOfService.AtMostOnce)
                {
                    writer.WriteUInt16(publish.PacketId);
                }

                if (v5)
                {
                    MqttPropertyCodec.Write(ref writer, publish.Properties);
                }

                writer.WriteBytes(publish.Payload.Span);
                break;
            case PubAckPacket pubAck:
                writer.WriteUInt16(pubAck.PacketId);
                if (v5 && (pubAck.ReasonCode != 0 || !pubAck.Properties.IsEmpty))
                {
                    writer.WriteByte(pubAck.ReasonCode);
                    if (!pubAck.Properties.IsEmpty)
                    {
                        MqttPropertyCodec.Write(ref writer, pubAck.Properties);
                    }
                }

                break;
            case SubscribePacket subscribe:
                writer.WriteUInt16(subscribe.PacketId);
                if (v5)
                {
                    MqttPropertyCodec.Write(ref writer, subscribe.Properties);
                }

                foreach (var subscription in subscribe.Subscriptions)
                {
                    writer.WriteString(subscription.Filter);
                    var choice = (byte)subscription.MaximumQualityOfService;
                    if (v5)
                    {
                        choice |= (byte)((subscription.NoLocal ? 0x04 : 0) | (subscription.RetainAsPublished ? 0x08 : 0) | (subscription.RetainHandling << 4));
                    }

                    writer.WriteByte(choice);
                }

                break;
            case SubAckPacket subAck:
                writer.WriteUInt16(subAck.PacketId);
                if (v5)
                {
                    MqttPropertyCodec.Write(ref writer, subAck.Properties);
                }

                foreach (var code in subAck.ReasonCodes)
                {
                    writer.WriteByte(code);
                }

                break;
            case UnsubscribePacket unsubscribe:
                writer.WriteUInt16(unsubscribe.PacketId);
                if (v5)
                {
                    MqttPropertyCodec.Write(ref writer, unsubscribe.Properties);
                }

                foreach (var filter in unsubscribe.Filters)
                {
                    writer.WriteString(filter);
                }

                break;
            case UnsubAckPacket unsubAck:
                writer.WriteUInt16(unsubAck.PacketId);
                if (v5)
                {
                    MqttPropertyCodec.Write(ref writer, unsubAck.Properties);
                    foreach (var code in unsubAck.ReasonCodes)
                    {
                        writer.WriteByte(code);
                    }
                }

                break;
            case DisconnectPacket disconnect:
                if (v5 && (disconnect.ReasonCode != 0 || !disconnect.Properties.IsEmpty))
                {
                    writer.WriteByte(disconnect.ReasonCode);
                    if (!disconnect.Properties.IsEmpty)
                    {
                        MqttPropertyCodec.Write(ref writer, disconnect.Properties);
                    }
                }

                break;
            default:
                break;
        }

        return writer.Position;
    }

    private static void WriteConnect(ref MqttSpanWriter writer, ConnectPacket connect)
    {
        var v5 = connect.ProtocolVersion == MqttProtocolVersion.V500;
        writer.WriteBinary("MQTT"u8);
        writer.WriteByte((byte)connect.ProtocolVersion);
        var flags = 0;
        if (connect.UserName is not null)
        {
            flags |= 0x80;
        }

        if (connect.Password.HasValue)
        {
            flags |= 0x40;
        }

        if (connect.Will is { } will)
        {
            flags |= 0x04 | ((int)will.QualityOfService << 3) | (will.Retain ? 0x20 : 0);
        }

        if (connect.CleanSession)
        {
            flags |= 0x02;
        }

        writer.WriteByte((byte)flags);
        writer.WriteUInt16(connect.KeepAliveSeconds);
        if (v5)
        {
            MqttPropertyCodec.Write(ref writer, connect.Properties);
        }

        writer.WriteString(connect.ClientId);
        if (connect.Will is { } w)
        {
            if (v5)
            {
                writer.WriteVariableByteInteger(0);
            }

            writer.WriteString(w.Topic);
            writer.WriteBinary(w.Payload.Span);
        }

        if (connect.UserName is not null)
        {
            writer.WriteString(connect.UserName);
        }

        if (connect.Password is { } password)
        {
            writer.WriteBinary(password.Span);
        }
    }

    private static byte FlagsOf(MqttPacket packet) => packet switch
    {
        PublishPacket p => (byte)((p.Dup ? 0x08 : 0) | ((int)p.QualityOfService << 1) | (p.Retain ? 0x01 : 0)),
        SubscribePacket or UnsubscribePacket => 0x02,
        _ => 0,
    };

    private static int MeasureBody(MqttPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var v5 = version == MqttProtocolVersion.V500;
        return packet switch
        {
            ConnectPacket c => MeasureConnect(c),
            ConnAckPacket c => 2 + (v5 ? MqttPropertyCodec.Measure(c.Properties) : 0),
            PublishPacket p => MeasurePublish(p, v5),
            PubAckPacket p => 2 + RequireId(p.PacketId) + (v5 && (p.ReasonCode != 0 || !p.Properties.IsEmpty) ? 1 + (p.Properties.IsEmpty ? 0 : MqttPropertyCodec.Measure(p.Properties)) : 0),
            SubscribePacket s => 2 + RequireId(s.PacketId) + (v5 ? MqttPropertyCodec.Measure(s.Properties) : 0) + RequireEntries(s.Subscriptions.Sum(x => FilterSize(x.Filter) + 1), s.Subscriptions.Count),
            SubAckPacket s => 2 + RequireId(s.PacketId) + (v5 ? MqttPropertyCodec.Measure(s.Properties) : 0) + RequireEntries(s.ReasonCodes.Count, s.ReasonCodes.Count),
            UnsubscribePacket u => 2 + RequireId(u.PacketId) + (v5 ? MqttPropertyCodec.Measure(u.Properties) : 0) + RequireEntries(u.Filters.Sum(FilterSize), u.Filters.Count),
            UnsubAckPacket u => 2 + RequireId(u.PacketId) + (v5 ? MqttPropertyCodec.Measure(u.Properties) + RequireEntries(u.ReasonCodes.Count, u.ReasonCodes.Count) : 0),
            PingReqPacket or PingRespPacket => 0,
            DisconnectPacket d => v5 && (d.ReasonCode != 0 || !d.Properties.IsEmpty) ? 1 + (d.Properties.IsEmpty ? 0 : MqttPropertyCodec.Measure(d.Properties)) : 0,
            _ => throw new ArgumentException($"{packet.Type} packets are not supported.", nameof(packet)),
        };
    }

    private static int MeasureConnect(ConnectPacket c)
    {
        var v5 = c.ProtocolVersion == MqttProtocolVersion.V500;
        if (c.ProtocolVersion is not (MqttProtocolVersion.V311 or MqttProtocolVersion.V500))
        {
            throw new ArgumentException($"Protocol level {(byte)c.ProtocolVersion} is not supported.", nameof(c));
        }

        if (!v5 && c.Password.HasValue && c.UserName is null)
        {
            throw new ArgumentException("MQTT 3.1.1 sends a password only with a user name [MQTT-3.1.2-22].", nameof(c));
        }

        var size = 6 + 1 + 1 + 2 + (v5 ? MqttPropertyCodec.Measure(c.Properties) : 0) + StringSize(c.ClientId);
        if (c.Will is { } will)
        {
            if (will.QualityOfService > MqttQualityOfService.ExactlyOnce || TopicNameProblem(will.Topic) is { } problem)
            {
                throw new ArgumentException("The will is invalid.", nameof(c));
            }

            size += (v5 ? 1 : 0) + StringSize(will.Topic) + 2 + CheckBinary(will.Payload.Length);
        }

        if (c.UserName is not null)
        {
            size += StringSize(c.UserName);
        }

        if (c.Password is { } password)
        {
            size += 2 + CheckBinary(password.Length);
        }

        return size;
    }

    private static int MeasurePublish(PublishPacket p, bool v5)
    {
        if (TopicNameProblem(p.Topic) is { } problem)
        {
            throw new ArgumentException($"The topic name '{p.Topic}' is invalid: {problem}.", nameof(p));
        }

        if (p.QualityOfService > MqttQualityOfService.ExactlyOnce)
        {
            throw new ArgumentException("QoS is 0, 1 or 2.", nameof(p));
        }

        var idSize = 0;
        if (p.QualityOfService != MqttQualityOfService.AtMostOnce)
        {
            idSize = 2 + RequireId(p.PacketId);
        }
        else if (p.PacketId != 0 || p.Dup)
        {
            throw new ArgumentException("A QoS 0 PUBLISH has no packet identifier and no DUP [MQTT-2.3.1-5, MQTT-3.3.1-2].", nameof(p));
        }

        return StringSize(p.Topic) + idSize + (v5 ? MqttPropertyCodec.Measure(p.Properties) : 0) + p.Payload.Length;
    }

    private static int FilterSize(string filter) =>
        TopicFilterProblem(filter) is { } problem ? throw new ArgumentException($"The topic filter '{filter}' is invalid: {problem}.", nameof(filter)) : StringSize(filter);

    private static int RequireId(ushort id) => id == 0 ? throw new ArgumentException("A packet identifier is non-zero [MQTT-2.3.1-1].", nameof(id)) : 0;

    private static int RequireEntries(int size, int count) => count == 0 ? throw new ArgumentException("At least one entry is required.", nameof(count)) : size;

    private static int CheckBinary(int length) => length > ushort.MaxValue ? throw new ArgumentException("Binary data is at most 65,535 bytes.", nameof(length)) : length;
}
