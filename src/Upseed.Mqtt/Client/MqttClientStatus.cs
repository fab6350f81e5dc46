using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Client;

/// <summary>A snapshot of a client for logs and the admin page.</summary>
public sealed record MqttClientStatus
{
    public required MqttClientState State { get; init; }

    /// <summary>The broker, without credentials.</summary>
    public required string Broker { get; init; }

    /// <summary>The negotiated protocol level, when connected.</summary>
    public MqttProtocolVersion? ProtocolVersion { get; init; }

    public DateTimeOffset? ConnectedSince { get; init; }

    /// <summary>The latest connection failure or loss, in a sentence; null until one happens.</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    public long ConnectAttempts { get; init; }

    /// <summary>Connections that reached CONNACK.</summary>
    public long Connections { get; init; }

    /// <summary>QoS 1 messages sent or queued and not yet acknowledged.</summary>
    public int InFlight { get; init; }

    public long MessagesIn { get; init; }

    public long MessagesOut { get; init; }

    public long BytesIn { get; init; }

    public long BytesOut { get; init; }
}
