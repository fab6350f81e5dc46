using System.Globalization;
using Upseed.Records;
using static Upseed.Store.Tests.TestStore;

namespace Upseed.Store.Tests;

public sealed class EvictionTests : IDisposable
{
    private const long Day = 86_400;
    private readonly TestStore _t = new();
    private readonly RecordFactory _alice;

    public EvictionTests() => _alice = _t.Factory(Alice);

    private RecordStore Store => _t.Store;

    public void Dispose() => _t.Dispose();

    [Fact]
    public void Evict_SmallRecordQuota_DropsOldAndLowScoredFirst_KeepsEveryPinAndOwnRecord()
    {
        var member = _t.Factory(_t.Member(Key(9)));
        var follow = Key(10);
        Store.Follow(follow.PublicKey.Span);
        var posts = new List<PostRecord>();
        for (var i = 0; i < 20; i++)
        {
            posts.Add(_t.Add(_alice.Post("news", $"post {i}", "b", created: _t.Now - ((20 - i) * Day / 4))));
        }

        var own = _t.Add(member.Post("news", "mine, oldest of all", "b", created: _t.Now - (25 * Day)));
        var pinned = posts.Take(5).ToList(); // the five oldest of Alice's
        foreach (var post in pinned)
        {
            Store.Pin(post.Id, PinReason.Manual);
        }

        var valued = posts[5]; // old, but a followed voter liked it: worth more days
        _t.Add(_t.Factory(follow).Vote("news", valued.Id, 1));
        var before = Store.StoredSize().Records;
        Store.SetSetting(SeedingPolicy.QuotaRecordsSetting, (before - 6).ToString(CultureInfo.InvariantCulture));

        var report = Store.Evict();

        // The six oldest unpinned, unliked posts went; the liked one, the pins and the member's post stayed.
        Assert.Equal(posts.Skip(6).Take(6).Select(p => p.Id).Order(), report.Dropped.Select(d => d.Id).Order());
        Assert.All(report.Dropped, d => Assert.Equal(DropReason.OverQuota, d.Reason));
        Assert.All(pinned.Append(own).Append(valued), p => Assert.True(Store.Contains(p.Id)));
        Assert.Equal(before - 6, report.RecordsAfter);
        Assert.False(report.OverQuota);
        Assert.Equal(report.Dropped.Select(d => d.Id).Order(), Store.Dropped().Select(d => d.Id).Order());
        Assert.Equal("news", Store.Dropped()[0].Community);
    }

    [Fact]
    public void Evict_ByteQuota_StopsOnceUnder()
    {
        var posts = Enumerable.Range(0, 10)
            .Select(i => _t.Add(_alice.Post("news", $"post {i}", new string('x', 1000), created: _t.Now - ((10 - i) * 60))))
            .ToList();

        var (_, bytes) = Store.StoredSize();
        Store.SetSetting(SeedingPolicy.QuotaBytesSetting, (bytes - 2500).ToString(CultureInfo.InvariantCulture));

        var report = Store.Evict();

        Assert.Equal(3, report.Dropped.Count);
        Assert.True(report.BytesAfter <= bytes - 2500);
        Assert.Equal(posts.Take(3).Select(p => p.Id).Order(), report.Dropped.Select(d => d.Id).Order());
    }

    [Fact]
    public void Evict_OnlyPinsLeft_ReportsStillOverQuota()
    {
        var post = _t.Add(_alice.Post("news", "p", "b"));
        var other = _t.Add(_alice.Post("news", "q", "b"));
        Store.Pin(post.Id, PinReason.Manual);
        Store.Pin(other.Id, PinReason.Upvote);
        Store.SetSetting(SeedingPolicy.QuotaRecordsSetting, "1");

        var report = Store.Evict();

        Assert.Empty(report.Dropped);
        Assert.True(report.OverQuota);
        Assert.True(Store.Contains(post.Id));
    }

    [Fact]
    public void Evict_HiddenPostsGoFirstUnderQuota()
    {
        var hidden = _t.Add(_t.Factory(Bob).Post("news", "blocked later", "b"));
        var older = _t.Add(_alice.Post("news", "older", "b", created: _t.Now - Day));
        Store.Block(BlockKind.Author, Bob.PublicKeyHex);
        Store.SetSetting(SeedingPolicy.QuotaRecordsSetting, (Store.StoredSize().Records - 1).ToString(CultureInfo.InvariantCulture));

        var report = Store.Evict();

        Assert.Equal([hidden.Id], report.Dropped.Select(d => d.Id));
        Assert.True(Store.Contains(older.Id));
    }

    [Fact]
    public void Evict_Retention_ExpiresUnpinnedPosts_LongerForHigherScores()
    {
        var follows = Enumerable.Range(20, 5).Select(Key).ToList();
        follows.ForEach(k => Store.Follow(k.PublicKey.Span));
        var plain = _t.Add(_alice.Post("news", "31 days, no votes", "b", created: _t.Now - (31 * Day)));
        var liked = _t.Add(_alice.Post("news", "31 days, 5 votes", "b", created: _t.Now - (31 * Day)));
        var tooOld = _t.Add(_alice.Post("news", "50 days, 5 votes", "b", created: _t.Now - (50 * Day)));
        var recent = _t.Add(_alice.Post("news", "recent", "b"));
        foreach (var key in follows)
        {
            _t.Add(_t.Factory(key).Vote("news", liked.Id, 1));
            _t.Add(_t.Factory(key).Vote("news", tooOld.Id, 1));
        }

        var report = Store.Evict();

        // 30 days + 3 per point: a score of 5 keeps a post 45 days.
        Assert.Equal(new[] { plain.Id, tooOld.Id }.Order(), report.Dropped.Select(d => d.Id).Order());
        Assert.All(report.Dropped, d => Assert.Equal(DropReason.Expired, d.Reason));
        Assert.True(Store.Contains(liked.Id));
        Assert.True(Store.Contains(recent.Id));
        Assert.Equal(4 + 10 - 2 - 5, Store.Count()); // the dropped post's votes went with it
    }

    [Fact]
    public void Evict_DroppedThread_TakesItsCommentsAndVotes_ButNotAThreadAMemberJoined()
    {
        var bob = _t.Factory(Bob);
        var member = _t.Factory(_t.Member(Key(30)));
        var old = _t.Add(_alice.Post("news", "old thread", "b", created: _t.Now - (40 * Day)));
        var comment = _t.Add(bob.Comment("news", old.Id, old.Id, "reply", created: _t.Now - Day));
        var vote = _t.Add(bob.Vote("news", old.Id, 1));
        var joined = _t.Add(_alice.Post("news", "old thread a member answered", "b", created: _t.Now - (40 * Day)));
        _t.Add(member.Comment("news", joined.Id, joined.Id, "me too", created: _t.Now - (39 * Day)));

        var report = Store.Evict();

        Assert.Equal([(old.Id, DropReason.Expired), (comment.Id, DropReason.ThreadDropped)], report.Dropped.Select(d => (d.Id, d.Reason)));
        Assert.False(Store.Contains(vote.Id));
        Assert.True(Store.Contains(joined.Id));
    }

    [Fact]
    public void Evict_NotCarried_DropsOtherCommunities_ExceptPinned()
    {
        var kept = _t.Add(_alice.Post("news", "carried", "b"));
        var other = _t.Add(_alice.Post("knitting", "not carried", "b"));
        var otherPinned = _t.Add(_alice.Post("knitting", "pinned", "b"));
        var vote = _t.Add(_t.Factory(Bob).Vote("knitting", otherPinned.Id, 1));
        Store.Pin(otherPinned.Id, PinReason.Manual);
        Store.SetSetting(SeedingPolicy.CommunitiesSetting, "news");

        var report = Store.Evict();

        Assert.Equal([(other.Id, DropReason.NotCarried)], report.Dropped.Select(d => (d.Id, d.Reason)));
        Assert.True(Store.Contains(kept.Id));
        Assert.True(Store.Contains(otherPinned.Id));
        Assert.True(Store.Contains(vote.Id));
    }

    [Fact]
    public void Dropped_ComingBack_RefusedUnlessPinned_VotesOnItToo()
    {
        var post = _alice.Post("news", "old", "b", created: _t.Now - (40 * Day));
        _t.Add(post);
        Store.Evict();
        Assert.True(Store.WasDropped(post.Id));

        Assert.Equal(RejectReason.Dropped, Store.Ingest(post.Bytes).Rejection!.Reason);
        Assert.Equal(RejectReason.Dropped, Store.Ingest(_t.Factory(Bob).Vote("news", post.Id, 1).Bytes).Rejection!.Reason);

        Store.Pin(post.Id, PinReason.Upvote);
        Assert.Equal(IngestOutcome.Accepted, Store.Ingest(post.Bytes).Outcome);
    }

    [Fact]
    public void Evict_OrphanVotesOlderThanRetention_Dropped()
    {
        var vote = _t.Add(_t.Factory(Bob).Vote("news", FakeId("never came"), 1, created: _t.Now - (31 * Day)));
        var fresh = _t.Add(_t.Factory(Bob).Vote("news", FakeId("still may come"), 1));

        var report = Store.Evict();

        Assert.Equal([(vote.Id, DropReason.Orphan)], report.Dropped.Select(d => (d.Id, d.Reason)));
        Assert.True(Store.Contains(fresh.Id));
    }

    [Fact]
    public void Evict_DropsRecordsWhole_SurvivorsBytesUnchanged()
    {
        var posts = Enumerable.Range(0, 8).Select(i => _t.Add(_alice.Post("news", $"p{i}", "b", created: _t.Now - (i * 60)))).ToList();
        var before = posts.ToDictionary(p => p.Id, p => p.Bytes.ToArray());
        Store.SetSetting(SeedingPolicy.QuotaRecordsSetting, "5");

        Store.Evict();

        foreach (var post in posts)
        {
            if (Store.TryGetBytes(post.Id, out var bytes))
            {
                Assert.Equal(before[post.Id], bytes);
            }
        }

        Assert.Equal(5, Store.Count());
    }

    [Fact]
    public void KeepUntil_Formula_MatchesTheDocumentation()
    {
        var policy = new SeedingPolicy();

        Assert.Equal(30 * Day, policy.KeepUntil(0, 0));
        Assert.Equal(30 * Day, policy.KeepUntil(0, -4));
        Assert.Equal(60 * Day, policy.KeepUntil(0, 10));
        Assert.Equal(365 * Day, policy.KeepUntil(0, 1000));
        Assert.Equal(long.MaxValue, (policy with { RetentionDays = 0 }).KeepUntil(0, 0));
    }

    [Theory]
    [InlineData(SeedingPolicy.QuotaBytesSetting, "1000000", true)]
    [InlineData(SeedingPolicy.QuotaBytesSetting, "-1", false)]
    [InlineData(SeedingPolicy.CommunitiesSetting, "news, cooking", true)]
    [InlineData(SeedingPolicy.CommunitiesSetting, "News", false)]
    [InlineData(RecordStore.UnknownWeightSetting, "1.5", false)]
    [InlineData("pow.post.news", "12", true)]
    [InlineData("charter.news", "xyz", false)]
    public void TryValidate_ChecksValues(string key, string value, bool valid)
    {
        Assert.Equal(valid, SeedingPolicy.TryValidate(key, value, out var problem));
        Assert.Equal(valid, problem is null);
    }
}
