using Upseed.LoRa.Mesh;
using Upseed.Store;

namespace Upseed.LoRa.Tests;

/// <summary>The mesh's sink over a real <see cref="RecordStore"/>: ingest validates (signature included) and stores.</summary>
internal sealed class StoreSink(RecordStore store) : IMeshRecordSink
{
    public List<Upseed.Records.SignedRecord> Arrived { get; } = [];

    public MeshIngestResult Ingest(ReadOnlyMemory<byte> canonicalRecord)
    {
        var result = store.Ingest(canonicalRecord);
        switch (result.Outcome)
        {
            case IngestOutcome.Accepted:
                Arrived.Add(result.Record!);
                return new MeshIngestResult(MeshIngestOutcome.Accepted, result.Record);
            case IngestOutcome.Duplicate:
                store.TryGetRecord(result.Id!.Value, out var held);
                return new MeshIngestResult(MeshIngestOutcome.Duplicate, held);
            default:
                return new MeshIngestResult(MeshIngestOutcome.Rejected, null);
        }
    }
}
