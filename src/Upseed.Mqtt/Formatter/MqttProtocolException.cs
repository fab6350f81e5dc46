using System.Diagnostics.CodeAnalysis;

namespace Upseed.Mqtt.Formatter;

/// <summary>
/// Bytes broke the MQTT protocol. The connection that catches it closes (with DISCONNECT 0x81 under MQTT 5), logs the
/// reason once, and the supervisor reconnects; nothing else stops.
/// </summary>
public sealed class MqttProtocolException : Exception
{
    public MqttProtocolException()
        : this(MqttProtocolError.UnknownPacketType, "The bytes broke the MQTT protocol.")
    {
    }

    public MqttProtocolException(string message)
        : this(MqttProtocolError.UnknownPacketType, message)
    {
    }

    public MqttProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MqttProtocolException(MqttProtocolError error, string message)
        : base(message)
    {
        Error = error;
    }

    public MqttProtocolError Error { get; }

    [DoesNotReturn]
    internal static void Throw(MqttProtocolError error, string message) => throw new MqttProtocolException(error, message);
}
