using Upseed.Metainfo;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Mqtt.Bridge;

/// <summary>An <see cref="IMqttRecordSink"/> straight into a <see cref="RecordStore"/> (<see cref="RecordStore.IngestMany"/>). The caller keeps owning the store.</summary>
public sealed class RecordStoreSink(RecordStore store) : IMqttRecordSink
{
    private readonly RecordStore _store = store ?? throw new ArgumentNullException(nameof(store));

    public RecordValidationOptions ValidationOptions => _store.ValidationOptions;

    public bool Contains(InfoHash id) => _store.Contains(id);

    public IReadOnlyList<IngestResult> Ingest(IReadOnlyList<ReadOnlyMemory<byte>> records) => _store.IngestMany(records);
}
