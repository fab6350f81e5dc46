namespace Upseed.Mqtt.Packets;

/// <summary>The protocol level byte of CONNECT (MQTT 3.1.1 §3.1.2.2: 4; MQTT 5 §3.1.2.2: 5).</summary>
public enum MqttProtocolVersion : byte
{
    V311 = 4,
    V500 = 5,
}
