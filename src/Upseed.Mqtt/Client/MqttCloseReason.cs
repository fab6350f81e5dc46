namespace Upseed.Mqtt.Client;

/// <summary>Why a connection ended.</summary>
public enum MqttCloseReason
{
    /// <summary>Closed by this side (dispose or shutdown).</summary>
    Disposed,

    /// <summary>The broker closed the TCP connection.</summary>
    ConnectionLost,

    /// <summary>The broker sent a DISCONNECT (MQTT 5, with a reason code).</summary>
    BrokerDisconnected,

    /// <summary>The broker sent bytes that break the protocol (malformed, oversized, unexpected).</summary>
    ProtocolError,

    /// <summary>A PINGREQ went unanswered for the ping timeout: the broker is silent.</summary>
    KeepAliveTimeout,

    /// <summary>Reading or writing the socket failed.</summary>
    TransportError,

    /// <summary>The message handler failed; unacknowledged messages come again after reconnecting.</summary>
    HandlerFailed,
}
