namespace Upseed.Mqtt.Packets;

/// <summary>PINGRESP, <c>D0 00</c> (MQTT 3.1.1 §3.13).</summary>
public sealed record PingRespPacket : MqttPacket
{
    public static PingRespPacket Instance { get; } = new();

    public override MqttPacketType Type => MqttPacketType.PingResp;
}
