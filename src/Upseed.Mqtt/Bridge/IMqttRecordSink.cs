using Upseed.Metainfo;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Mqtt.Bridge;

/// <summary>
/// Where records arriving over MQTT go: the node's ingest path (validation, moderation, storage), exactly as for any
/// other source. The bridge decodes each record first (structure and id only) for deduplication and policy; the sink
/// does the full check, signature included.
/// </summary>
public interface IMqttRecordSink
{
    /// <summary>The clock and proof-of-work rules used to decode arriving records.</summary>
    RecordValidationOptions ValidationOptions { get; }

    /// <summary>Whether the node already holds this record (then it is not ingested again).</summary>
    bool Contains(InfoHash id);

    /// <summary>Validates and stores a batch; one result per record, in order. Throwing leaves the batch unacknowledged (the broker sends it again).</summary>
    IReadOnlyList<IngestResult> Ingest(IReadOnlyList<ReadOnlyMemory<byte>> records);
}
