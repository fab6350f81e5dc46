namespace Upseed.Mqtt.Packets;

/// <summary>CONNACK (MQTT 3.1.1 §3.2, MQTT 5 §3.2). <see cref="ReasonCode"/> is the 3.1.1 return code or the MQTT 5 reason code.</summary>
public sealed record ConnAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;

    public bool SessionPresent { get; init; }

    /// <summary>0 = accepted. 3.1.1: 1 bad protocol version, 2 id rejected, 3 unavailable, 4 bad user name or password, 5 not authorized.</summary>
    public byte ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}
