using System.Collections.Concurrent;
using Upseed.Metainfo;
using Upseed.Torrent.Swarm;

namespace Upseed.Torrent.Tests.Swarm;

/// <summary>An in-memory catalog: the torrents a test's listener seeds, keyed by info-hash.</summary>
internal sealed class TestCatalog : ITorrentCatalog
{
    private readonly ConcurrentDictionary<InfoHash, SeedableTorrent> _torrents = new();

    public TestCatalog(params SeedableTorrent[] torrents)
    {
        foreach (var torrent in torrents)
        {
            _torrents[torrent.InfoHash] = torrent;
        }
    }

    /// <summary>When set, lookups wait for it: a test holds a node back until something else has happened.</summary>
    public Task? Gate { get; init; }

    /// <summary>A lookup of this info-hash throws, as a store that failed would.</summary>
    public InfoHash? ThrowFor { get; init; }

    public async ValueTask<SeedableTorrent?> FindAsync(InfoHash infoHash, CancellationToken cancellationToken)
    {
        if (Gate is not null)
        {
            await Gate.WaitAsync(cancellationToken);
        }

        if (infoHash == ThrowFor)
        {
            throw new InvalidOperationException("the store is unavailable");
        }

        return _torrents.TryGetValue(infoHash, out var torrent) ? torrent : null;
    }

    /// <summary>Deterministic content: the same seed always gives the same bytes.</summary>
    public static byte[] Content(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A single-file torrent over <see cref="Content"/>.</summary>
    public static SeedableTorrent Torrent(string name, int length, int seed, int pieceLength = SingleFileTorrent.RecordPieceLength) =>
        SeedableTorrent.FromSingleFile(name, Content(length, seed), pieceLength);
}
