using Upseed.Metainfo;

namespace Upseed.Store;

/// <summary>
/// A post as listings show it. <see cref="Score"/> is the trust-weighted score rounded to whole votes (what ranking
/// uses; <see cref="TrustWeight"/>), <see cref="WeightedScore"/> the same unrounded, <see cref="RawScore"/> the plain
/// sum of every voter's latest vote, and <see cref="Seeders"/> the nodes seen serving it now.
/// </summary>
public sealed record PostSummary(
    InfoHash Id,
    string Community,
    string? Title,
    ReadOnlyMemory<byte> Author,
    string? AuthorName,
    long Score,
    long Comments,
    long Created)
{
    /// <summary>The sum of every voter's latest vote (+1, -1, 0), unweighted.</summary>
    public long RawScore { get; init; }

    /// <summary>The sum of value × voter weight, in votes.</summary>
    public double WeightedScore { get; init; }

    /// <summary>Nodes seen seeding the post now (peers, DHT scrape, sync, this box).</summary>
    public long Seeders { get; init; }
}
