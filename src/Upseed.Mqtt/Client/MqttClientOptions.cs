using Upseed.Mqtt.Formatter;

namespace Upseed.Mqtt.Client;

/// <summary>Settings of <see cref="MqttClient"/> and its connections. Every default is written down.</summary>
public sealed record MqttClientOptions
{
    /// <summary>
    /// The session's client identifier. It must stay the same across restarts: the broker keeps the session (its
    /// subscriptions and queued QoS 1 messages) under this name. 1-23 characters of <c>[0-9a-zA-Z]</c> are accepted by
    /// every broker [MQTT-3.1.3-5].
    /// </summary>
    public required string ClientId { get; init; }

    /// <summary>Defaults to none.</summary>
    public string? UserName { get; init; }

    /// <summary>Defaults to none. Never logged.</summary>
    public string? Password { get; init; }

    /// <summary>Defaults to <see cref="MqttProtocolPreference.Auto"/>.</summary>
    public MqttProtocolPreference Protocol { get; init; } = MqttProtocolPreference.Auto;

    /// <summary>
    /// Keep-alive interval sent in CONNECT; a PINGREQ goes out when nothing else was sent for half of it (§3.1.2.10).
    /// Defaults to 30 seconds. A Server Keep Alive in an MQTT 5 CONNACK overrides it.
    /// </summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a PINGREQ may go unanswered (nothing at all received) before the connection is declared dead. Defaults to 10 seconds.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time for TCP, TLS and the CONNECT/CONNACK exchange together. Defaults to 15 seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Time for a SUBACK or UNSUBACK. Defaults to 30 seconds.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// MQTT 5 Session Expiry Interval: how long the broker keeps the session after a disconnect. Defaults to 7 days,
    /// long enough for an outage; under 3.1.1 the session lasts until the broker drops it (CleanSession = 0).
    /// </summary>
    public TimeSpan SessionExpiry { get; init; } = TimeSpan.FromDays(7);

    /// <summary>QoS 1 messages sent and not yet acknowledged, at most. Defaults to 64; an MQTT 5 broker's Receive Maximum lowers it.</summary>
    public int MaxInFlight { get; init; } = 64;

    /// <summary>First wait after a failed or lost connection; it doubles per failure up to <see cref="ReconnectDelayMax"/>, with ±20 % jitter. Defaults to 1 second.</summary>
    public TimeSpan ReconnectDelayMin { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Defaults to 60 seconds.</summary>
    public TimeSpan ReconnectDelayMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Publishes handed to the message handler at once (one read's worth). Defaults to 256.</summary>
    public int MaxInboundBatch { get; init; } = 256;

    /// <summary>Decoder limits; <see cref="MqttCodecOptions.MaxPacketSize"/> is also sent to MQTT 5 brokers as Maximum Packet Size. Defaults to <see cref="MqttCodecOptions.Default"/>.</summary>
    public MqttCodecOptions Codec { get; init; } = MqttCodecOptions.Default;
}
