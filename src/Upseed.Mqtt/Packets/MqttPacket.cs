namespace Upseed.Mqtt.Packets;

/// <summary>One MQTT control packet as data: no I/O, no session state. Encoded and decoded by <see cref="Formatter.MqttPacketCodec"/>.</summary>
public abstract record MqttPacket
{
    public abstract MqttPacketType Type { get; }
}
