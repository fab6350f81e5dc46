using Upseed.Metainfo;

namespace Upseed.Store;

/// <summary>One reason this box seeds one record, since when (unix seconds).</summary>
public sealed record Pin(InfoHash Record, string Reason, long Since);
