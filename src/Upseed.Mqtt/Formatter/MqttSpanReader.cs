using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Upseed.Mqtt.Formatter;

/// <summary>Reads MQTT data types (§1.5) from a packet body; any read past the end is <see cref="MqttProtocolError.Truncated"/>.</summary>
internal ref struct MqttSpanReader(ReadOnlySpan<byte> body)
{
    private readonly ReadOnlySpan<byte> _body = body;
    private int _position;

    public readonly int Remaining => _body.Length - _position;

    public readonly int Position => _position;

    public byte ReadByte(string field)
    {
        Need(1, field);
        return _body[_position++];
    }

    public ushort ReadUInt16(string field)
    {
        Need(2, field);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_body[_position..]);
        _position += 2;
        return value;
    }

    public uint ReadUInt32(string field)
    {
        Need(4, field);
        var value = BinaryPrimitives.ReadUInt32BigEndian(_body[_position..]);
        _position += 4;
        return value;
    }

    /// <summary>A Variable Byte Integer (§1.5.5 in 5; §2.2.3 in 3.1.1): at most 4 bytes, minimally encoded.</summary>
    public int ReadVariableByteInteger(string field)
    {
        var status = MqttPacketCodec.TryReadVariableByteInteger(_body[_position..], out var value, out var length);
        if (status == System.Buffers.OperationStatus.NeedMoreData)
        {
            MqttProtocolException.Throw(MqttProtocolError.Truncated, $"The packet ends inside the {field}.");
        }

        _position += length;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count, string field)
    {
        Need(count, field);
        var slice = _body.Slice(_position, count);
        _position += count;
        return slice;
    }

    /// <summary>Two-byte length then that many bytes (§1.5.6 binary data).</summary>
    public ReadOnlySpan<byte> ReadBinary(string field)
    {
        var length = ReadUInt16(field);
        return ReadBytes(length, field);
    }

    /// <summary>A UTF-8 string: well-formed, no U+0000 [MQTT-1.5.3-1, MQTT-1.5.3-2], at most <paramref name="maxBytes"/> bytes.</summary>
    public string ReadString(string field, int maxBytes = ushort.MaxValue)
    {
        var bytes = ReadBinary(field);
        if (bytes.Length > maxBytes)
        {
            MqttProtocolException.Throw(MqttProtocolError.FieldTooLong, $"The {field} is {bytes.Length} bytes; the limit is {maxBytes}.");
        }

        return DecodeUtf8(bytes, field);
    }

    public static string DecodeUtf8(ReadOnlySpan<byte> bytes, string field)
    {
        if (!Utf8.IsValid(bytes))
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidString, $"The {field} is not well-formed UTF-8.");
        }

        if (bytes.Contains((byte)0))
        {
            MqttProtocolException.Throw(MqttProtocolError.InvalidString, $"The {field} contains U+0000.");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    public readonly void ExpectEnd(string packet)
    {
        if (Remaining != 0)
        {
            MqttProtocolException.Throw(MqttProtocolError.TrailingBytes, $"{Remaining} bytes follow the last field of the {packet}.");
        }
    }

    private readonly void Need(int count, string field)
    {
        if (Remaining < count)
        {
            MqttProtocolException.Throw(MqttProtocolError.Truncated, $"The packet ends inside the {field}.");
        }
    }
}
