using Upseed.Crypto;
using Upseed.Metainfo;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Node.Tests;

public sealed class StoreTorrentCatalogTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "upseed-catalog-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new();
    private readonly RecordStore _store;
    private readonly PostRecord _post;

    public StoreTorrentCatalogTests()
    {
        _store = RecordStore.Open(_folder);
        _store.SetSetting("pow.post", "8");
        _post = new RecordFactory(Ed25519.Generate(), _store.ValidationOptions).Post("catalog", "A pinned post", "Body.");
        Assert.Equal(IngestOutcome.Accepted, _store.Ingest(_post.Bytes).Outcome);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task FindAsync_PinnedRecord_BuildsItsTorrentWithTheRecordsId()
    {
        _store.Pin(_post.Id, PinReason.Own);
        var catalog = new StoreTorrentCatalog(_store, clock: _clock);

        var torrent = await catalog.FindAsync(_post.Id, CancellationToken.None);

        Assert.NotNull(torrent);
        Assert.Equal(_post.Id, torrent.InfoHash);
        Assert.Equal(_post.FileName, torrent.Metainfo.Name);
        Assert.Equal(_post.Bytes.ToArray(), torrent.Content.ToArray());
    }

    [Fact]
    public async Task FindAsync_StoredButNotPinned_IsNotSeeded()
    {
        var catalog = new StoreTorrentCatalog(_store, clock: _clock);

        Assert.Null(await catalog.FindAsync(_post.Id, CancellationToken.None));
        Assert.Null(await catalog.FindAsync(new InfoHash(new byte[20]), CancellationToken.None));
    }

    [Fact]
    public async Task FindAsync_UnpinnedByAnotherProcess_StopsBeingServedAfterTheRecheckTime()
    {
        _store.Pin(_post.Id, PinReason.Own);
        var catalog = new StoreTorrentCatalog(_store, clock: _clock);
        Assert.NotNull(await catalog.FindAsync(_post.Id, CancellationToken.None));

        _store.Unpin(_post.Id);
        var stillCached = await catalog.FindAsync(_post.Id, CancellationToken.None);
        _clock.Advance(StoreTorrentCatalog.RecheckAfter + TimeSpan.FromSeconds(1));
        var afterRecheck = await catalog.FindAsync(_post.Id, CancellationToken.None);

        Assert.NotNull(stillCached);
        Assert.Null(afterRecheck);
    }

    [Fact]
    public async Task FindAsync_HotPost_IsServedFromTheCache()
    {
        _store.Pin(_post.Id, PinReason.Own);
        var catalog = new StoreTorrentCatalog(_store, clock: _clock);

        var first = await catalog.FindAsync(_post.Id, CancellationToken.None);
        var second = await catalog.FindAsync(_post.Id, CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(1, catalog.CacheHits);
        Assert.Equal(1, catalog.CacheMisses);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
