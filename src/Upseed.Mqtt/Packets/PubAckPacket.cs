namespace Upseed.Mqtt.Packets;

/// <summary>PUBACK (MQTT 3.1.1 §3.4, MQTT 5 §3.4). A failure reason code (&gt;= 0x80) still acknowledges [MQTT-4.4.0-2].</summary>
public sealed record PubAckPacket(ushort PacketId, byte ReasonCode = 0) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.PubAck;

    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}
