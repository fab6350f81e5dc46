namespace Upseed.Mqtt.Client;

public enum MqttClientState
{
    /// <summary>Created, not started.</summary>
    Idle,

    /// <summary>Opening the transport and exchanging CONNECT/CONNACK.</summary>
    Connecting,

    /// <summary>Connected: subscriptions restored, unacknowledged messages re-sent.</summary>
    Connected,

    /// <summary>Waiting (with backoff) before the next attempt.</summary>
    WaitingToReconnect,

    /// <summary>Disposed.</summary>
    Stopped,
}
