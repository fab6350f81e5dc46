using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Upseed.Store;
using Upseed.Torrent.Swarm;

namespace Upseed.Node;

/// <summary>Runs the peer listener for the node's lifetime: seeds every pinned record on demand.</summary>
public sealed class SeedingService(RecordStore store, NodeOptions options, EngineOptions engineOptions, ILogger<SeedingService> logger) : IHostedService, IAsyncDisposable
{
    private PeerListener? _listener;

    public PeerListener? Listener => _listener;

    public StoreTorrentCatalog Catalog { get; } = new(store);

    public bool IsReady => _listener is not null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new PeerListener(options.Listen, Catalog, engineOptions, logger: logger);
        _listener.Start();

        // Magnets this box hands out name it as a peer (x.pe), so a plain client can fetch without the DHT.
        store.SetSetting(BoxLinks.PeerHintSetting, BoxLinks.PeerHint(_listener.LocalEndPoint));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
            _listener = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
}
