using System.Buffers.Binary;
using System.Text;

namespace Upseed.Mqtt.Formatter;

/// <summary>Writes MQTT data types into a span sized beforehand by the codec's measure step.</summary>
internal ref struct MqttSpanWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private int _position;

    public readonly int Position => _position;

    public void WriteByte(byte value) => _destination[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_destination[_position..], value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_destination[_position..], value);
        _position += 4;
    }

    public void WriteVariableByteInteger(int value)
    {
        var remaining = (uint)value;
        do
        {
            var digit = (byte)(remaining & 0x7F);
            remaining >>= 7;
            if (remaining > 0)
            {
                digit |= 0x80;
            }

            _destination[_position++] = digit;
        }
        while (remaining > 0);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_destination[_position..]);
        _position += bytes.Length;
    }

    public void WriteBinary(ReadOnlySpan<byte> bytes)
    {
        WriteUInt16((ushort)bytes.Length);
        WriteBytes(bytes);
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetBytes(value, _destination[(_position + 2)..]);
        WriteUInt16((ushort)length);
        _position += length;
    }
}
