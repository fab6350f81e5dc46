namespace Upseed.Mqtt.Packets;

/// <summary>PUBLISH (MQTT 3.1.1 §3.3, MQTT 5 §3.3). <see cref="PacketId"/> is 0 exactly when QoS is 0.</summary>
public sealed record PublishPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;

    public required string Topic { get; init; }

    public ReadOnlyMemory<byte> Payload { get; init; }

    public MqttQualityOfService QualityOfService { get; init; }

    /// <summary>Set only on re-delivery of a QoS &gt; 0 message [MQTT-3.3.1-1].</summary>
    public bool Dup { get; init; }

    public bool Retain { get; init; }

    public ushort PacketId { get; init; }

    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}
