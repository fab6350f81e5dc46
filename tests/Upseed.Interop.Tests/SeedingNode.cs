using System.Net;
using System.Text;
using Upseed.Crypto;
using Upseed.Node;
using Upseed.Records;
using Upseed.Store;
using Upseed.Torrent.Swarm;

namespace Upseed.Interop.Tests;

/// <summary>
/// An Upseed node as the appliance runs it — a store, its pinned posts, the peer listener serving them through the
/// store catalog — on a free 127.0.0.1 port, in its own temp data folder.
/// </summary>
internal sealed class SeedingNode : IAsyncDisposable
{
    private readonly TempDirectory _folder;

    private SeedingNode(TempDirectory folder, RecordStore store, PeerListener listener)
    {
        _folder = folder;
        Store = store;
        Listener = listener;
    }

    public RecordStore Store { get; }

    public PeerListener Listener { get; }

    public IPEndPoint Endpoint => Listener.LocalEndPoint;

    public string PeerAddress => $"127.0.0.1:{Endpoint.Port}";

    public static SeedingNode Start(string testName)
    {
        var folder = new TempDirectory(testName);
        var store = RecordStore.Open(folder.Path);
        store.SetSetting("pow.post", "8");
        store.SetSetting("pow.identity", "8");
        var listener = new PeerListener(new IPEndPoint(IPAddress.Loopback, 0), new StoreTorrentCatalog(store));
        listener.Start();
        return new SeedingNode(folder, store, listener);
    }

    /// <summary>Writes, stores and pins (as its own) a post with a body of about <paramref name="bodyBytes"/> bytes.</summary>
    public PostRecord Post(string title, int bodyBytes = 200)
    {
        var factory = new RecordFactory(Ed25519.Generate(), Store.ValidationOptions);
        var body = new StringBuilder();
        for (var i = 0; body.Length < bodyBytes; i++)
        {
            body.Append("line ").Append(i).Append(" of a post that travels as a torrent\n");
        }

        var post = factory.Post("interop", title, body.ToString(0, bodyBytes));
        Assert.Equal(IngestOutcome.Accepted, Store.Ingest(post.Bytes).Outcome);
        Store.Pin(post.Id, PinReason.Own);
        return post;
    }

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        Store.Dispose();
        _folder.Dispose();
    }
}
