using Upseed.Metainfo;

namespace Upseed.Store;

/// <summary>
/// A post as listings show it. <see cref="Score"/> (= <see cref="RawScore"/>) is the plain sum of every voter's latest
/// vote; <see cref="WeightedScore"/> is the trust-weighted score that Hot and Top rank by (<see cref="TrustWeight"/>);
/// <see cref="Seeders"/> counts the nodes seen serving it now.
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
    /// <summary>The sum of every voter's latest vote (+1, -1, 0), unweighted: the same as <see cref="Score"/>.</summary>
    public long RawScore => Score;

    /// <summary>The sum of value × voter weight, in votes: what ranking uses.</summary>
    public double WeightedScore { get; init; }

    /// <summary>Nodes seen seeding the post now (peers, DHT scrape, sync, this box).</summary>
    public long Seeders { get; init; }
}
