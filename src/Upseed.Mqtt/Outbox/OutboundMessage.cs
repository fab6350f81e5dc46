namespace Upseed.Mqtt.Outbox;

/// <summary>A queued record: its place in the queue, its id, and where and what to publish.</summary>
public sealed record OutboundMessage(long Sequence, ReadOnlyMemory<byte> RecordId, string Topic, ReadOnlyMemory<byte> Payload);
