namespace Upseed.Mqtt.Packets;

/// <summary>UNSUBSCRIBE (MQTT 3.1.1 §3.10, MQTT 5 §3.10): at least one filter [MQTT-3.10.3-2].</summary>
public sealed record UnsubscribePacket(ushort PacketId, IReadOnlyList<string> Filters) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;

    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}
