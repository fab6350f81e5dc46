using Upseed.Metainfo;
using Upseed.Store;

namespace Upseed.Sync;

/// <summary>
/// What sync reads from and writes to: the store, or a wrapper that applies the box's policy (communities carried,
/// what is refused). <see cref="StoreSyncSource"/> is the plain store. Called from several sessions at once.
/// </summary>
public interface ISyncRecordSource
{
    /// <summary>The community's sync set within [<paramref name="fromCreated"/>, <paramref name="toCreated"/>), sorted by (created, id).</summary>
    void LoadStamps(string community, long fromCreated, long toCreated, List<RecordStamp> into);

    /// <summary>The bytes of those of <paramref name="ids"/> that are here.</summary>
    IReadOnlyList<(InfoHash Id, byte[] Bytes)> GetRecords(IReadOnlyList<InfoHash> ids);

    /// <summary>Those of <paramref name="ids"/> worth asking a peer for (neither held nor refused).</summary>
    IReadOnlyList<InfoHash> Unknown(IReadOnlyList<InfoHash> ids);

    /// <summary>Validates and stores records a peer sent (every check of <see cref="RecordStore.IngestMany"/>).</summary>
    IReadOnlyList<IngestResult> Ingest(IReadOnlyList<ReadOnlyMemory<byte>> records);

    /// <summary>The latest arrival sequence: where the change feed starts.</summary>
    long LastSequence();

    /// <summary>Arrivals after a sequence, oldest first (see <see cref="RecordStore.ChangesSince"/>).</summary>
    IReadOnlyList<RecordChange> ChangesSince(long afterSequence, int limit);
}
