using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Formatter;

/// <summary>A decoded fixed header: type, the four flag bits, the Remaining Length and how many bytes the header took (2-5).</summary>
public readonly record struct MqttFixedHeader(MqttPacketType Type, byte Flags, int RemainingLength, int HeaderLength)
{
    /// <summary>The whole packet's length in bytes.</summary>
    public int PacketLength => HeaderLength + RemainingLength;
}
