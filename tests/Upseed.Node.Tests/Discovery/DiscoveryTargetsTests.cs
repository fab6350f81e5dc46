using Upseed.Crypto;
using Upseed.Node.Discovery;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Node.Tests.Discovery;

public sealed class DiscoveryTargetsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "upseed-targets-" + Guid.NewGuid().ToString("N"));
    private readonly FixedClock _clock = new(DateTimeOffset.UtcNow);
    private readonly RecordStore _store;
    private readonly KeyDirectory _keys;
    private readonly Ed25519KeyPair _me = Ed25519.Generate();
    private readonly Ed25519KeyPair _stranger = Ed25519.Generate();

    public DiscoveryTargetsTests()
    {
        _store = RecordStore.Open(_folder, new StoreOptions { Clock = _clock });
        _store.SetSetting("pow.post", "4");
        _store.SetSetting("pow.identity", "4");
        _keys = new KeyDirectory(Path.Combine(_folder, "keys"));
        _keys.Save(_me);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Compute_OwnPostsThenUpvotesThenCommunities()
    {
        var mine = Store(_me, "garden", "Mine", PinReason.Own);
        var theirs = Store(_stranger, "cooking", "Theirs", PinReason.Upvote);
        var policy = Store(_stranger, "books", "Carried", PinReason.Policy);
        var identity = new RecordFactory(_me, _store.ValidationOptions).Identity("me", null, _clock.UnixNow);
        Assert.Equal(IngestOutcome.Accepted, _store.Ingest(identity.Bytes).Outcome);
        _store.Pin(identity.Id, PinReason.Own);

        var targets = new DiscoveryTargets(_store, _keys, ["radio"]).Compute();

        Assert.Equal(
            [
                (mine.Id.ToHex(), AnnounceKind.OwnPost),
                (theirs.Id.ToHex(), AnnounceKind.Upvote),
                ("radio", AnnounceKind.Community),
            ],
            targets.Take(3).Select(t => (t.Label, t.Kind)));
        Assert.Equal(["books", "cooking", "garden"], targets.Skip(3).Select(t => t.Label).Order(StringComparer.Ordinal));
        Assert.All(targets.Where(t => t.Kind == AnnounceKind.Community), t => Assert.Equal(SwarmKeys.Community(t.Label), t.Key));
        Assert.DoesNotContain(targets, t => t.Key == policy.Id);
    }

    [Fact]
    public void Compute_PostsPinnedAsOwnButAuthoredByAKeyNotHereAreNotOwnPosts()
    {
        Store(_stranger, "garden", "Imported", PinReason.Own);

        var targets = new DiscoveryTargets(_store, _keys).Compute();

        Assert.Equal([AnnounceKind.Community], targets.Select(t => t.Kind));
    }

    [Fact]
    public void Communities_MostPinnedFirst_AfterConfiguredOnes_Bounded()
    {
        Store(_stranger, "a", "1", PinReason.Policy);
        Store(_stranger, "b", "2", PinReason.Policy);
        Store(_stranger, "b", "3", PinReason.Manual);

        var targets = new DiscoveryTargets(_store, _keys, ["z"]) { MaxCommunities = 3 };
        _store.SetSetting(DiscoveryTargets.CarriedCommunitiesSetting, "y, z");

        Assert.Equal(["z", "y", "b"], targets.Communities());
    }

    [Fact]
    public void FeedHeads_NewestOwnTopLevelPostPerLocalIdentity()
    {
        Store(_me, "garden", "Older", PinReason.Own);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var newest = Store(_me, "garden", "Newer", PinReason.Own);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var comment = new RecordFactory(_me, _store.ValidationOptions).Comment("garden", newest.Id, newest.Id, "A comment.", _clock.UnixNow);
        Assert.Equal(IngestOutcome.Accepted, _store.Ingest(comment.Bytes).Outcome);
        _store.Pin(comment.Id, PinReason.Own);
        Store(_stranger, "garden", "Not mine", PinReason.Own);

        var head = Assert.Single(new DiscoveryTargets(_store, _keys).FeedHeads());

        Assert.Equal(_me.PublicKeyHex, head.AuthorHex);
        Assert.Equal(newest.Id, head.Post);
        Assert.Equal(newest.Created, head.Created);
    }

    private PostRecord Store(Ed25519KeyPair author, string community, string title, string reason)
    {
        var post = new RecordFactory(author, _store.ValidationOptions).Post(community, title, "Body.", _clock.UnixNow);
        Assert.Equal(IngestOutcome.Accepted, _store.Ingest(post.Bytes).Outcome);
        _store.Pin(post.Id, reason);
        return post;
    }
}
