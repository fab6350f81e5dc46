namespace Upseed.Mqtt.Client;

/// <summary>
/// How a publish ended: acknowledged (PUBACK), with the MQTT 5 reason code (0 under 3.1.1). A failure code
/// (&gt;= 0x80) still ends the message's life: it is never sent again [MQTT-4.4.0-2].
/// </summary>
public readonly record struct MqttPublishResult(ushort PacketId, byte ReasonCode)
{
    public bool IsSuccess => ReasonCode < 0x80;
}
