namespace Upseed.Mqtt.Packets;

/// <summary>
/// One MQTT 5 property. Integer properties (byte, two-byte, four-byte, variable byte) use <see cref="Number"/>;
/// strings use <see cref="Text"/>; binary data uses <see cref="Binary"/>; a user property is the pair
/// <see cref="Text"/> = <see cref="PairValue"/>.
/// </summary>
public readonly record struct MqttProperty(MqttPropertyId Id, uint Number = 0, string? Text = null, ReadOnlyMemory<byte> Binary = default, string? PairValue = null);
