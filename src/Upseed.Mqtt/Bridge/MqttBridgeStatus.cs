using Upseed.Mqtt.Client;
using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Bridge;

/// <summary>A snapshot of the bridge for the admin page and <c>/healthz</c>.</summary>
public sealed record MqttBridgeStatus
{
    /// <summary>Connected to the broker now.</summary>
    public required bool Connected { get; init; }

    public required MqttClientState State { get; init; }

    /// <summary>The broker as <c>mqtt[s]://host:port</c>, never with credentials.</summary>
    public required string Broker { get; init; }

    public required string TopicPrefix { get; init; }

    public MqttProtocolVersion? ProtocolVersion { get; init; }

    public DateTimeOffset? ConnectedSince { get; init; }

    /// <summary>Records accepted locally and not yet acknowledged by the broker (persisted).</summary>
    public required long QueueLength { get; init; }

    /// <summary>The latest failure (connection, subscription, refused publish), in a sentence; null until one happens.</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>Connections made after the first (0 while the first one holds).</summary>
    public long Reconnects { get; init; }

    /// <summary>PUBLISH packets received and sent (re-deliveries count again).</summary>
    public long MessagesIn { get; init; }

    public long MessagesOut { get; init; }

    public long BytesIn { get; init; }

    public long BytesOut { get; init; }

    /// <summary>Records the broker acknowledged (removed from the queue).</summary>
    public long RecordsPublished { get; init; }

    /// <summary>Arriving records the sink accepted as new.</summary>
    public long RecordsAccepted { get; init; }

    /// <summary>Arriving records already held (by id) or seen before over MQTT.</summary>
    public long RecordsDuplicate { get; init; }

    /// <summary>Arriving records refused: invalid, on the wrong topic, or refused by the sink.</summary>
    public long RecordsRejected { get; init; }

    /// <summary>Arriving records outside the down policy.</summary>
    public long RecordsFiltered { get; init; }

    /// <summary>Why the latest arriving record was refused.</summary>
    public string? LastRejection { get; init; }
}
