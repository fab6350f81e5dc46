namespace Upseed.Mqtt.Bridge;

/// <summary>What <see cref="MqttBridge.Offer"/> did with a record.</summary>
public enum MqttOfferResult
{
    /// <summary>Queued (persisted); it goes out now or when the broker is back.</summary>
    Queued,

    /// <summary>Already waiting in the queue.</summary>
    AlreadyQueued,

    /// <summary>It came from MQTT: publishing it back would make a loop.</summary>
    CameFromMqtt,

    /// <summary>Its community is not in the up policy.</summary>
    NotInPolicy,
}
