namespace Upseed.Mqtt.Packets;

/// <summary>
/// One topic filter of a SUBSCRIBE with its options. <see cref="NoLocal"/>, <see cref="RetainAsPublished"/> and
/// <see cref="RetainHandling"/> exist in MQTT 5 only (§3.8.3.1) and are not sent under 3.1.1.
/// </summary>
public sealed record MqttSubscription(
    string Filter,
    MqttQualityOfService MaximumQualityOfService = MqttQualityOfService.AtLeastOnce,
    bool NoLocal = false,
    bool RetainAsPublished = false,
    byte RetainHandling = 0);
