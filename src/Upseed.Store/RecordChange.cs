using Upseed.Metainfo;
using Upseed.Records;

namespace Upseed.Store;

/// <summary>
/// A record as it entered the store, for the change feed (<see cref="RecordStore.ChangesSince"/>).
/// <see cref="Sequence"/> is the store's local arrival order (records.seq).
/// </summary>
public readonly record struct RecordChange(long Sequence, InfoHash Id, RecordKind Kind, string? Community, long Created, int Size);
