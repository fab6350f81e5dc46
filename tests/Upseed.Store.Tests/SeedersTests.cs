using static Upseed.Store.Tests.TestStore;

namespace Upseed.Store.Tests;

public sealed class SeedersTests : IDisposable
{
    private readonly TestStore _t = new();

    private RecordStore Store => _t.Store;

    public void Dispose() => _t.Dispose();

    [Fact]
    public void SeederCount_MergesPeersAndSyncByName_TakesTheLargerOfThatAndTheDhtEstimate()
    {
        var post = _t.Add(_t.Factory(Alice).Post("news", "p", "b"));

        Store.ObserveSeeders(
        [
            new(post.Id, SeederSource.Peer, "node-a"),
            new(post.Id, SeederSource.Peer, "node-b"),
            new(post.Id, SeederSource.Sync, "node-b"), // the same node seen through sync counts once
            new(post.Id, SeederSource.Sync, "node-c"),
        ]);
        Assert.Equal(3, Store.SeederCount(post.Id));

        Store.ObserveSeeder(post.Id, SeederSource.Dht, string.Empty, 7);
        Assert.Equal(7, Store.SeederCount(post.Id));

        Store.Pin(post.Id, PinReason.Upvote);
        Store.ObserveSeeder(post.Id, SeederSource.Dht, string.Empty, 2); // a newer, lower estimate replaces it
        Assert.Equal(4, Store.SeederCount(post.Id)); // three peers and this box

        var listed = Assert.Single(Store.Forum.List(new ListingQuery()));
        Assert.Equal(4, listed.Seeders);
        Assert.Equal(4, Store.Forum.Thread(post.Id)!.Seeders);
    }

    [Fact]
    public void SeederCount_OldObservationsAndGonePeers_NoLongerCount()
    {
        var post = _t.Add(_t.Factory(Alice).Post("news", "p", "b"));
        Store.ObserveSeeder(post.Id, SeederSource.Peer, "node-a");
        Store.ObserveSeeder(post.Id, SeederSource.Peer, "node-b");

        Store.ForgetPeer(SeederSource.Peer, "node-a");
        Assert.Equal(1, Store.SeederCount(post.Id));

        Store.ObserveSeeder(post.Id, SeederSource.Peer, "node-b", 0); // its bitfield no longer has it
        Assert.Equal(0, Store.SeederCount(post.Id));

        Store.ObserveSeeder(post.Id, SeederSource.Sync, "node-c");
        _t.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(0, Store.SeederCount(post.Id));
    }

    [Fact]
    public void SeederCount_HiddenRecord_ThisBoxDoesNotCountItself()
    {
        var post = _t.Add(_t.Factory(Bob).Post("news", "p", "b"));
        Store.Pin(post.Id, PinReason.Manual);
        Assert.Equal(1, Store.SeederCount(post.Id));

        Store.Block(BlockKind.Author, Bob.PublicKeyHex);

        Assert.Equal(0, Store.SeederCount(post.Id));
    }
}
