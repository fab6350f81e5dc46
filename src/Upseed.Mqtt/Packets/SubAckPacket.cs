namespace Upseed.Mqtt.Packets;

/// <summary>SUBACK (MQTT 3.1.1 §3.9, MQTT 5 §3.9): one code per filter, the granted QoS (0-2) or a failure (&gt;= 0x80).</summary>
public sealed record SubAckPacket(ushort PacketId, IReadOnlyList<byte> ReasonCodes) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.SubAck;

    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}
