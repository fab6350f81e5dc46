namespace Upseed.Mqtt.Packets;

/// <summary>SUBSCRIBE (MQTT 3.1.1 §3.8, MQTT 5 §3.8): at least one filter [MQTT-3.8.3-3].</summary>
public sealed record SubscribePacket(ushort PacketId, IReadOnlyList<MqttSubscription> Subscriptions) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Subscribe;

    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}
