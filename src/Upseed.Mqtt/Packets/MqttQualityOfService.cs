namespace Upseed.Mqtt.Packets;

/// <summary>Delivery guarantee of a PUBLISH (MQTT 3.1.1 §4.3). This client sends and subscribes at most at QoS 1.</summary>
public enum MqttQualityOfService : byte
{
    AtMostOnce = 0,
    AtLeastOnce = 1,
    ExactlyOnce = 2,
}
