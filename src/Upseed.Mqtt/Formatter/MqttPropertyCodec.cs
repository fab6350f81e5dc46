using System.Text;
using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Formatter;

/// <summary>MQTT 5 property lists (§2.2.2): a Variable Byte Integer length, then identifier/value pairs.</summary>
internal static class MqttPropertyCodec
{
    /// <summary>Context bit for Will properties (§3.1.3.2); packet contexts use 1 &lt;&lt; packet type.</summary>
    public const int WillContext = 1;

    private enum ValueType : byte
    {
        None,
        Byte,
        TwoByte,
        FourByte,
        VariableByte,
        Utf8,
        Binary,
        Utf8Pair,
    }

    private const int Connect = 1 << (int)MqttPacketType.Connect;
    private const int ConnAck = 1 << (int)MqttPacketType.ConnAck;
    private const int Publish = 1 << (int)MqttPacketType.Publish;
    private const int Acks = (1 << (int)MqttPacketType.PubAck) | (1 << (int)MqttPacketType.PubRec) | (1 << (int)MqttPacketType.PubRel) | (1 << (int)MqttPacketType.PubComp);
    private const int Subscribe = 1 << (int)MqttPacketType.Subscribe;
    private const int SubAck = 1 << (int)MqttPacketType.SubAck;
    private const int Unsubscribe = 1 << (int)MqttPacketType.Unsubscribe;
    private const int UnsubAck = 1 << (int)MqttPacketType.UnsubAck;
    private const int Disconnect = 1 << (int)MqttPacketType.Disconnect;
    private const int Auth = 1 << (int)MqttPacketType.Auth;
    private const int Will = WillContext;
    private const int All = Connect | ConnAck | Publish | Acks | Subscribe | SubAck | Unsubscribe | UnsubAck | Disconnect | Auth | Will;

    // Table 2-4 of MQTT 5 §2.2.2.2: each property's type and the packets it may appear in.
    private static readonly (ValueType Type, int Contexts)[] s_table = BuildTable();

    private static (ValueType, int)[] BuildTable()
    {
        var table = new (ValueType, int)[0x2B];
        table[0x01] = (ValueType.Byte, Publish | Will);
        table[0x02] = (ValueType.FourByte, Publish | Will);
        table[0x03] = (ValueType.Utf8, Publish | Will);
        table[0x08] = (ValueType.Utf8, Publish | Will);
        table[0x09] = (ValueType.Binary, Publish | Will);
        table[0x0B] = (ValueType.VariableByte, Publish | Subscribe);
        table[0x11] = (ValueType.FourByte, Connect | ConnAck | Disconnect);
        table[0x12] = (ValueType.Utf8, ConnAck);
        table[0x13] = (ValueType.TwoByte, ConnAck);
        table[0x15] = (ValueType.Utf8, Connect | ConnAck | Auth);
        table[0x16] = (ValueType.Binary, Connect | ConnAck | Auth);
        table[0x17] = (ValueType.Byte, Connect);
        table[0x18] = (ValueType.FourByte, Will);
        table[0x19] = (ValueType.Byte, Connect);
        table[0x1A] = (ValueType.Utf8, ConnAck);
        table[0x1C] = (ValueType.Utf8, ConnAck | Disconnect);
        table[0x1F] = (ValueType.Utf8, ConnAck | Acks | SubAck | UnsubAck | Disconnect | Auth);
        table[0x21] = (ValueType.TwoByte, Connect | ConnAck);
        table[0x22] = (ValueType.TwoByte, Connect | ConnAck);
        table[0x23] = (ValueType.TwoByte, Publish);
        table[0x24] = (ValueType.Byte, ConnAck);
        table[0x25] = (ValueType.Byte, ConnAck);
        table[0x26] = (ValueType.Utf8Pair, All);
        table[0x27] = (ValueType.FourByte, Connect | ConnAck);
        table[0x28] = (ValueType.Byte, ConnAck);
        table[0x29] = (ValueType.Byte, ConnAck);
        table[0x2A] = (ValueType.Byte, ConnAck);
        return table;
    }

    public static int ContextOf(MqttPacketType type) => 1 << (int)type;

    public static MqttProperties Read(ref MqttSpanReader reader, int context, MqttCodecOptions options)
    {
        var length = reader.ReadVariableByteInteger("property length");
        if (length == 0)
        {
            return MqttProperties.Empty;
        }

        var inner = new MqttSpanReader(reader.ReadBytes(length, "properties"));
        var items = new List<MqttProperty>();
        ulong seen = 0;
        while (inner.Remaining > 0)
        {
            if (items.Count >= options.MaxProperties)
            {
                MqttProtocolException.Throw(MqttProtocolError.InvalidProperty, $"The packet has more than {options.MaxProperties} properties.");
            }

            // The identifier is a Variable Byte Integer (§2.2.2.2); every defined one fits in one byte.
            var id = inner.ReadVariableByteInteger("property identifier");
            if (id <= 0 || id >= s_table.Length || s_table[id].Type == ValueType.None)
            {
                MqttProtocolException.Throw(MqttProtocolError.InvalidProperty, $"Property 0x{id:X2} is not defined by MQTT 5.");
            }

            var (type, contexts) = s_table[id];
            if ((contexts & context) == 0)
            {
                MqttProtocolException.Throw(MqttProtocolError.InvalidProperty, $"Property 0x{id:X2} may not appear in this packet.");
            }

            // Only User Property, and Subscription Identifier in PUBLISH, may repeat (§2.2.2.2, §3.3.2.3.8).
            var mayRepeat = id == (int)MqttPropertyId.UserProperty
                || (id == (int)MqttPropertyId.SubscriptionIdentifier && context == ContextOf(MqttPacketType.Publish));
            if (!mayRepeat && (seen & (1UL << id)) != 0)
            {
                MqttProtocolException.Throw(MqttProtocolError.InvalidProperty, $"Property 0x{id:X2} appears twice.");
            }

            seen |= 1UL << id;
            var name = ((MqttPropertyId)id).ToString();
            items.Add(type switch
            {
                ValueType.Byte => new MqttProperty((MqttPropertyId)id, inner.ReadByte(name)),
                ValueType.TwoByte => new MqttProperty((MqttPropertyId)id, inner.ReadUInt16(name)),
                ValueType.FourByte => new MqttProperty((MqttPropertyId)id, inner.ReadUInt32(name)),
                ValueType.VariableByte => new MqttProperty((MqttPropertyId)id, (uint)inner.ReadVariableByteInteger(name)),
                ValueType.Utf8 => new MqttProperty((MqttPropertyId)id, Text: inner.ReadString(name)),
                ValueType.Binary => new MqttProperty((MqttPropertyId)id, Binary: inner.ReadBinary(name).ToArray()),
                _ => new MqttProperty((MqttPropertyId)id, Text: inner.ReadString(name), PairValue: inner.ReadString(name)),
            });
            CheckValue(items[^1]);
        }

        return new MqttProperties(items);
    }

    private static void CheckValue(MqttProperty property)
    {
        var bad = property.Id switch
        {
            // Booleans (0 or 1) by their definitions in §3.1.2.11, §3.2.2.3, §3.3.2.3.2.
            MqttPropertyId.PayloadFormatIndicator or MqttPropertyId.RequestProblemInformation or MqttPropertyId.RequestResponseInformation
                or MqttPropertyId.MaximumQoS or MqttPropertyId.RetainAvailable or MqttPropertyId.WildcardSubscriptionAvailable
                or MqttPropertyId.SubscriptionIdentifierAvailable or MqttPropertyId.SharedSubscriptionAvailable => property.Number > 1,
            // A value of 0 is a Protocol Error for these (§3.1.2.11.3, §3.1.2.11.4, §3.3.2.3.4, §3.3.2.3.8).
            MqttPropertyId.ReceiveMaximum or MqttPropertyId.MaximumPacketSize or MqttPropertyId.TopicAlias
                or MqttPropertyId.SubscriptionIdentifier => property.Number == 0,
            _ => false,
        };
        if (bad)
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidProperty, $"Property {property.Id} has the invalid value {property.Number}.");
        }
    }

    /// <summary>Bytes the property list takes, its length prefix excluded.</summary>
    public static int MeasureBody(MqttProperties properties)
    {
        var total = 0;
        foreach (var item in properties.Items)
        {
            var id = (int)item.Id;
            if (id >= s_table.Length || s_table[id].Type == ValueType.None)
            {
                throw new ArgumentException($"Property 0x{id:X2} is not defined by MQTT 5.", nameof(properties));
            }

            total += 1 + s_table[id].Type switch
            {
                ValueType.Byte => 1,
                ValueType.TwoByte => 2,
                ValueType.FourByte => 4,
                ValueType.VariableByte => MqttPacketCodec.VariableByteIntegerSize((int)item.Number),
                ValueType.Utf8 => MqttPacketCodec.StringSize(item.Text ?? string.Empty),
                ValueType.Binary => 2 + item.Binary.Length,
                _ => MqttPacketCodec.StringSize(item.Text ?? string.Empty) + MqttPacketCodec.StringSize(item.PairValue ?? string.Empty),
            };
        }

        return total;
    }

    public static int Measure(MqttProperties properties)
    {
        var body = MeasureBody(properties);
        return MqttPacketCodec.VariableByteIntegerSize(body) + body;
    }

    public static void Write(ref MqttSpanWriter writer, MqttProperties properties)
    {
        writer.WriteVariableByteInteger(MeasureBody(properties));
        foreach (var item in properties.Items)
        {
            writer.WriteByte((byte)item.Id);
            switch (s_table[(int)item.Id].Type)
            {
                case ValueType.Byte:
                    writer.WriteByte((byte)item.Number);
                    break;
                case ValueType.TwoByte:
                    writer.WriteUInt16((ushort)item.Number);
                    break;
                case ValueType.FourByte:
                    writer.WriteUInt32(item.Number);
                    break;
                case ValueType.VariableByte:
                    writer.WriteVariableByteInteger((int)item.Number);
                    break;
                case ValueType.Utf8:
                    writer.WriteString(item.Text ?? string.Empty);
                    break;
                case ValueType.Binary:
                    writer.WriteBinary(item.Binary.Span);
                    break;
                default:
                    writer.WriteString(item.Text ?? string.Empty);
                    writer.WriteString(item.PairValue ?? string.Empty);
                    break;
            }
        }
    }

    internal static int Utf8Length(string value) => Encoding.UTF8.GetByteCount(value);
}
