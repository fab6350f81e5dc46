namespace Upseed.Mqtt.Packets;

/// <summary>DISCONNECT (MQTT 3.1.1 §3.14: no body; MQTT 5 §3.14: a reason code and properties, either may be omitted).</summary>
public sealed record DisconnectPacket(byte ReasonCode = 0) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Disconnect;

    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}
