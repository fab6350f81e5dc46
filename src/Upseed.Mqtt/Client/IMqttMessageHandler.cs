using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Client;

/// <summary>
/// Takes the messages the broker delivers. A batch is acknowledged (PUBACK for QoS 1) only after
/// <see cref="HandleAsync"/> returns; if it throws, the connection closes without acknowledging and the broker
/// delivers the messages again after the reconnect, so the handler must be idempotent (duplicates are possible at QoS 1).
/// </summary>
public interface IMqttMessageHandler
{
    ValueTask HandleAsync(IReadOnlyList<PublishPacket> messages, CancellationToken cancellationToken);
}
