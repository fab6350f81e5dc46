namespace Upseed.Mqtt.Packets;

/// <summary>PINGREQ, <c>C0 00</c> (MQTT 3.1.1 §3.12).</summary>
public sealed record PingReqPacket : MqttPacket
{
    public static PingReqPacket Instance { get; } = new();

    public override MqttPacketType Type => MqttPacketType.PingReq;
}
