namespace Upseed.Mqtt.Client;

/// <summary>Why a connection attempt failed.</summary>
public enum MqttConnectError
{
    /// <summary>TCP connect failed or the stream broke during the handshake.</summary>
    Network,

    /// <summary>TLS failed: certificate not trusted, wrong host name, or the handshake broke.</summary>
    Tls,

    /// <summary>No CONNACK within the connect timeout.</summary>
    Timeout,

    /// <summary>The broker refused the protocol level (the client then tries 3.1.1 when allowed).</summary>
    UnsupportedProtocolVersion,

    /// <summary>The broker refused the user name or password.</summary>
    BadCredentials,

    /// <summary>The broker refused for another reason (see the code).</summary>
    Refused,

    /// <summary>The broker answered with bytes that break the protocol.</summary>
    ProtocolError,
}
