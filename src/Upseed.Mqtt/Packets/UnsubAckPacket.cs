namespace Upseed.Mqtt.Packets;

/// <summary>UNSUBACK (MQTT 3.1.1 §3.11, MQTT 5 §3.11). 3.1.1 carries no codes (empty list).</summary>
public sealed record UnsubAckPacket(ushort PacketId, IReadOnlyList<byte> ReasonCodes) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.UnsubAck;

    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}
