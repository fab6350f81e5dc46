using Upseed.Metainfo;

namespace Upseed.Store;

/// <summary>A post as listings show it.</summary>
public sealed record PostSummary(
    InfoHash Id,
    string Community,
    string? Title,
    ReadOnlyMemory<byte> Author,
    string? AuthorName,
    long Score,
    long Comments,
    long Created);
