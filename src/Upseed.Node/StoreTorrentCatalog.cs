using Upseed.Metainfo;
using Upseed.Records;
using Upseed.Store;
using Upseed.Torrent.Swarm;

namespace Upseed.Node;

/// <summary>
/// Answers the engine's "do we seed this info-hash?" from the store: a pinned record's torrent is built from its
/// bytes on demand. A small LRU cache keeps the torrents of hot posts; nothing else is held per post, so seeding a
/// million posts costs the same memory as seeding ten.
/// </summary>
public sealed class StoreTorrentCatalog : ITorrentCatalog
{
    private readonly RecordStore _store;
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<InfoHash, LinkedListNode<(SeedableTorrent Torrent, long CheckedAt)>> _cache = [];
    private readonly LinkedList<(SeedableTorrent Torrent, long CheckedAt)> _recent = new();
    private readonly TimeProvider _clock;
    private long _hits;
    private long _misses;

    /// <param name="store">The store to seed from. Not owned.</param>
    /// <param name="cacheCapacity">Torrents kept for hot posts. 256 posts of at most 64 KiB each bound the cache to 32 MiB in the worst case.</param>
    /// <param name="clock">For the age of cache entries. Defaults to the system clock.</param>
    public StoreTorrentCatalog(RecordStore store, int cacheCapacity = 256, TimeProvider? clock = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _capacity = Math.Max(0, cacheCapacity);
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>
    /// How long a cached torrent is served without asking the store whether it is still pinned. The CLI unpins from
    /// another process, which cannot call <see cref="Forget"/>: after this long the node stops serving it anyway.
    /// </summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(30);

    public long CacheHits => Interlocked.Read(ref _hits);

    public long CacheMisses => Interlocked.Read(ref _misses);

    public ValueTask<SeedableTorrent?> FindAsync(InfoHash infoHash, CancellationToken cancellationToken)
    {
        SeedableTorrent? cached = null;
        lock (_gate)
        {
            if (_cache.TryGetValue(infoHash, out var node))
            {
                _recent.Remove(node);
                if (_clock.GetElapsedTime(node.Value.CheckedAt) < RecheckAfter)
                {
                    _recent.AddFirst(node);
                    Interlocked.Increment(ref _hits);
                    return ValueTask.FromResult<SeedableTorrent?>(node.Value.Torrent);
                }

                _cache.Remove(infoHash);
                cached = node.Value.Torrent;
            }
        }

        if (cached is not null && _store.IsPinned(infoHash))
        {
            Remember(cached);
            Interlocked.Increment(ref _hits);
            return ValueTask.FromResult<SeedableTorrent?>(cached);
        }

        Interlocked.Increment(ref _misses);
        if (!_store.TryGetPinnedBytes(infoHash, out var bytes))
        {
            return ValueTask.FromResult<SeedableTorrent?>(null);
        }

        // Stored records were validated on the way in; decoding again only recovers the torrent's file name.
        var options = _store.ValidationOptions with { MaxFutureSkew = TimeSpan.MaxValue / 2 };
        if (!RecordCodec.TryDecode(bytes, options, out var record, out _) || record.Id != infoHash)
        {
            return ValueTask.FromResult<SeedableTorrent?>(null);
        }

        var torrent = SeedableTorrent.FromSingleFile(record.FileName, bytes);
        Remember(torrent);
        return ValueTask.FromResult<SeedableTorrent?>(torrent);
    }

    /// <summary>Drops a record's torrent from the cache (after an unpin, so it stops being served at once).</summary>
    public void Forget(InfoHash infoHash)
    {
        lock (_gate)
        {
            if (_cache.Remove(infoHash, out var node))
            {
                _recent.Remove(node);
            }
        }
    }

    private void Remember(SeedableTorrent torrent)
    {
        if (_capacity == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_cache.ContainsKey(torrent.InfoHash))
            {
                return;
            }

            _cache[torrent.InfoHash] = _recent.AddFirst((torrent, _clock.GetTimestamp()));
            while (_cache.Count > _capacity && _recent.Last is { } last)
            {
                _cache.Remove(last.Value.Torrent.InfoHash);
                _recent.RemoveLast();
            }
        }
    }
}
