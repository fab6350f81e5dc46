namespace Upseed.Mqtt.Packets;

/// <summary>The Will Message of a CONNECT (MQTT 3.1.1 §3.1.2.5). The bridge sends none; the codec reads it for completeness.</summary>
public sealed record MqttWill(string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfService QualityOfService, bool Retain);
