namespace Upseed.Mqtt.Client;

/// <summary>Which protocol level the client asks for.</summary>
public enum MqttProtocolPreference
{
    /// <summary>MQTT 5 first; a broker that refuses level 5 (CONNACK 0x01 or 0x84) gets 3.1.1, remembered from then on.</summary>
    Auto,
    V311,
    V500,
}
