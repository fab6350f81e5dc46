namespace Upseed.Mqtt.Client;

/// <summary>A connection attempt failed; <see cref="Error"/> says how and the message says it in a sentence.</summary>
public sealed class MqttConnectException : Exception
{
    public MqttConnectException()
        : this(MqttConnectError.Network, "The connection to the broker failed.")
    {
    }

    public MqttConnectException(string message)
        : this(MqttConnectError.Network, message)
    {
    }

    public MqttConnectException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MqttConnectException(MqttConnectError error, string message, byte reasonCode = 0, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
        ReasonCode = reasonCode;
    }

    public MqttConnectError Error { get; }

    /// <summary>The CONNACK code when the broker refused.</summary>
    public byte ReasonCode { get; }

    /// <summary>A sentence for a CONNACK code (3.1.1 §3.2.2.3 return codes, MQTT 5 §3.2.2.2 reason codes).</summary>
    public static string Describe(byte code, bool v5) => (v5, code) switch
    {
        (_, 0) => "accepted",
        (false, 1) => "unacceptable protocol version (CONNACK 1)",
        (false, 2) => "client identifier rejected (CONNACK 2)",
        (false, 3) => "server unavailable (CONNACK 3)",
        (false, 4) => "bad user name or password (CONNACK 4)",
        (false, 5) => "not authorized (CONNACK 5; mosquitto answers a wrong password so)",
        (true, 0x80) => "unspecified error (0x80)",
        (true, 0x81) => "malformed packet (0x81)",
        (true, 0x82) => "protocol error (0x82)",
        (true, 0x84) => "unsupported protocol version (0x84)",
        (true, 0x85) => "client identifier not valid (0x85)",
        (true, 0x86) => "bad user name or password (0x86)",
        (true, 0x87) => "not authorized (0x87; mosquitto answers a wrong password so)",
        (true, 0x88) => "server unavailable (0x88)",
        (true, 0x89) => "server busy (0x89)",
        (true, 0x8A) => "banned (0x8A)",
        (true, 0x8C) => "bad authentication method (0x8C)",
        (true, 0x95) => "packet too large (0x95)",
        (true, 0x97) => "quota exceeded (0x97)",
        (true, 0x9F) => "connection rate exceeded (0x9F)",
        _ => $"refused with code 0x{code:X2}",
    };
}
