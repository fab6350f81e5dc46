using Upseed.Metainfo;
using Upseed.Store;

namespace Upseed.Sync;

/// <summary>Sync straight over a <see cref="RecordStore"/> (which the caller owns).</summary>
public sealed class StoreSyncSource(RecordStore store) : ISyncRecordSource
{
    private readonly RecordStore _store = store ?? throw new ArgumentNullException(nameof(store));

    public void LoadStamps(string community, long fromCreated, long toCreated, List<RecordStamp> into) =>
        _store.CommunityStamps(community, fromCreated, toCreated, into);

    public IReadOnlyList<(InfoHash Id, byte[] Bytes)> GetRecords(IReadOnlyList<InfoHash> ids) => _store.RecordBytes(ids);

    public IReadOnlyList<InfoHash> Unknown(IReadOnlyList<InfoHash> ids) => _store.Unknown(ids);

    public IReadOnlyList<IngestResult> Ingest(IReadOnlyList<ReadOnlyMemory<byte>> records) => _store.IngestMany(records);

    public long LastSequence() => _store.LastSequence();

    public IReadOnlyList<RecordChange> ChangesSince(long afterSequence, int limit) => _store.ChangesSince(afterSequence, limit);
}
