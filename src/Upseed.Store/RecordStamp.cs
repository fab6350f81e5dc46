using Upseed.Metainfo;

namespace Upseed.Store;

/// <summary>A stored record's creation time (unix seconds) and id: what community sync reconciles.</summary>
public readonly record struct RecordStamp(long Created, InfoHash Id);
