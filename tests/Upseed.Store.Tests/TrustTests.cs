using Upseed.Metainfo;
using Upseed.Records;
using static Upseed.Store.Tests.TestStore;

namespace Upseed.Store.Tests;

public sealed class TrustTests : IDisposable
{
    private const long Day = 86_400;
    private readonly TestStore _t = new();

    private RecordStore Store => _t.Store;

    public void Dispose() => _t.Dispose();

    [Fact]
    public void Listing_FiveHundredFreshIdentities_CannotOutrankAPostUpvotedByTwentyKnownOnes()
    {
        var author = _t.Factory(Alice);
        var brigaded = _t.Add(author.Post("news", "Bought by 500 fresh keys", "body", created: _t.Now - 60));
        var valued = _t.Add(author.Post("news", "Upvoted by 20 known people", "body", created: _t.Now - 3600));

        // Known: ten identities the box follows, ten that one of its members upvoted.
        var member = _t.Member(Key(7));
        var known = Enumerable.Range(1000, 20).Select(Key).ToList();
        foreach (var key in known.Take(10))
        {
            Store.Follow(key.PublicKey.Span);
        }

        foreach (var key in known.Skip(10))
        {
            var theirs = _t.Add(_t.Factory(key).Post("news", "a post of theirs", "body", created: _t.Now - 7200));
            _t.Add(_t.Factory(member).Vote("news", theirs.Id, 1));
        }

        // Every record real and signed, through the same ingest path as records from the network.
        var batch = new List<ReadOnlyMemory<byte>>();
        foreach (var key in Enumerable.Range(2000, 500).Select(Key))
        {
            var factory = _t.Factory(key);
            batch.Add(factory.Identity("fresh").Bytes);
            batch.Add(factory.Vote("news", brigaded.Id, 1).Bytes);
        }

        foreach (var key in known)
        {
            batch.Add(_t.Factory(key).Vote("news", valued.Id, 1).Bytes);
        }

        Assert.All(Store.IngestMany(batch), r => Assert.Equal(IngestOutcome.Accepted, r.Outcome));

        var top = Store.Forum.List(new ListingQuery { Community = "news", Sort = ListingSort.Top, Period = TopPeriod.All });
        Assert.Equal(valued.Id, top[0].Id);
        Assert.Equal(20, top[0].RawScore);
        Assert.Equal(20.0, top[0].WeightedScore);
        var bought = top.Single(p => p.Id == brigaded.Id);
        Assert.Equal(500, bought.RawScore);
        Assert.True(bought.WeightedScore < 2, $"500 fresh keys weigh {bought.WeightedScore} votes");

        var hot = Store.Forum.List(new ListingQuery { Community = "news", Sort = ListingSort.Hot });
        Assert.Equal(valued.Id, hot[0].Id);
    }

    [Fact]
    public void TrustOf_EachKindOfVoter_GetsItsLevelAndWeight()
    {
        var member = _t.Member(Key(10));
        var followed = Key(11);
        var upvoted = Key(12);
        var blocked = Key(13);
        var stranger = Key(14);
        Store.Follow(followed.PublicKey.Span);
        var theirs = _t.Add(_t.Factory(upvoted).Post("news", "t", "b"));
        _t.Add(_t.Factory(member).Vote("news", theirs.Id, 1));
        Store.Block(BlockKind.Author, blocked.PublicKeyHex);

        Assert.Equal(TrustLevel.Member, Store.TrustOf(member.PublicKey.Span).Level);
        Assert.Equal(TrustLevel.Followed, Store.TrustOf(followed.PublicKey.Span).Level);
        Assert.Equal(TrustLevel.UpvotedByMember, Store.TrustOf(upvoted.PublicKey.Span).Level);
        Assert.Equal(TrustLevel.Blocked, Store.TrustOf(blocked.PublicKey.Span).Level);
        Assert.Equal(0, Store.TrustOf(blocked.PublicKey.Span).Weight);
        var unknown = Store.TrustOf(stranger.PublicKey.Span);
        Assert.Equal(TrustLevel.Unknown, unknown.Level);
        Assert.InRange(unknown.Votes, 0.0001, 0.1);
        Assert.Equal(1.0, Store.TrustOf(followed.PublicKey.Span).Votes);
    }

    [Fact]
    public void MemberWithdrawsUpvote_AuthorNoLongerTrusted_TheirVotesReweighed()
    {
        var member = _t.Member(Key(20));
        var bob = _t.Factory(Bob);
        var bobsPost = _t.Add(bob.Post("news", "Bob's", "b"));
        var other = _t.Add(_t.Factory(Alice).Post("news", "Alice's", "b"));
        _t.Add(bob.Vote("news", other.Id, 1));
        Assert.True(Summary(other.Id).WeightedScore < 0.1);

        _t.Add(_t.Factory(member).Vote("news", bobsPost.Id, 1, created: _t.Now));
        Assert.Equal(1.0, Summary(other.Id).WeightedScore);

        _t.Add(_t.Factory(member).Vote("news", bobsPost.Id, 0, created: _t.Now + 1));
        Assert.True(Summary(other.Id).WeightedScore < 0.1);
        Assert.Equal(1, Summary(other.Id).RawScore);
    }

    [Fact]
    public void UnknownWeight_GrowsWithAgeOnThisBox_AfterRecompute()
    {
        var stranger = _t.Factory(Key(30));
        _t.Add(stranger.Identity("stranger"));
        var post = _t.Add(_t.Factory(Alice).Post("news", "p", "b"));
        _t.Add(stranger.Vote("news", post.Id, 1));
        var fresh = Summary(post.Id).WeightedScore;

        _t.Clock.Advance(TimeSpan.FromDays(30));
        Assert.True(Store.RecomputeWeights() > 0);
        var aged = Summary(post.Id).WeightedScore;

        Assert.True(aged > fresh * 20, $"fresh {fresh}, aged {aged}");
        Assert.Equal(TrustWeight.Unknown(Work, Work, 30) / (double)TrustWeight.Scale, aged, 6);
    }

    [Fact]
    public void UnknownWeight_ExtraProofOfWork_WeighsMore()
    {
        var cheap = Key(40);
        var costly = Key(41);
        _t.Add(_t.Factory(cheap).Identity("cheap"));
        _t.Add(new RecordFactory(costly, _t.Options with { RequiredWork = (_, _) => Work + 3 }).Identity("costly"));

        Assert.InRange(Store.TrustOf(costly.PublicKey.Span).Weight - (4 * Store.TrustOf(cheap.PublicKey.Span).Weight), -4, 4);
    }

    [Theory]
    [InlineData(8, 8, 0, 806)] // fresh, minimum work: 0.1 * 0.25 / 31
    [InlineData(11, 8, 0, 3226)] // three extra bits: work factor 1
    [InlineData(20, 8, 0, 3226)] // extra bits count up to three
    [InlineData(8, 8, 30, 25000)] // 30 days old: age factor 1
    [InlineData(11, 8, 400, 100000)] // the most an unknown voter weighs
    public void Unknown_Formula_MatchesTheDocumentedValues(int bits, int required, double days, long expected)
    {
        Assert.Equal(expected, TrustWeight.Unknown(bits, required, days));
    }

    [Fact]
    public void Unknown_NoIdentity_WeighsLessThanTheCheapestIdentity()
    {
        Assert.True(TrustWeight.Unknown(null, 8, 0) < TrustWeight.Unknown(8, 8, 0));
    }

    [Fact]
    public void Follow_ThenUnfollow_RescoresTheirVotes()
    {
        var voter = Key(50);
        var post = _t.Add(_t.Factory(Alice).Post("news", "p", "b"));
        _t.Add(_t.Factory(voter).Vote("news", post.Id, -1));

        Store.Follow(voter.PublicKey.Span);
        Assert.Equal(-1.0, Summary(post.Id).WeightedScore);
        Assert.Contains(Store.Follows(), f => f.Key.AsSpan().SequenceEqual(voter.PublicKey.Span));

        Store.Unfollow(voter.PublicKey.Span);
        Assert.InRange(Summary(post.Id).WeightedScore, -0.01, 0);
        Assert.Equal(-1, Summary(post.Id).RawScore);
    }

    [Fact]
    public void Follow_FromAnotherProcess_SeenByTheNextIngest()
    {
        var node = _t.Open();
        var voter = Key(60);
        var post = _t.Add(_t.Factory(Alice).Post("news", "p", "b"));
        Store.Follow(voter.PublicKey.Span); // the CLI's store

        Assert.Equal(IngestOutcome.Accepted, node.Ingest(_t.Factory(voter).Vote("news", post.Id, 1).Bytes).Outcome);

        Assert.Equal(1.0, node.Forum.List(new ListingQuery()).Single().WeightedScore);
    }

    [Fact]
    public void Open_Version2Database_WeighsOldVotesByTrust()
    {
        var member = _t.Member(Key(70));
        var post = _t.Add(_t.Factory(Alice).Post("news", "p", "b"));
        _t.Add(_t.Factory(member).Vote("news", post.Id, 1));
        _t.Add(_t.Factory(Bob).Vote("news", post.Id, 1));
        Store.Read(() =>
        {
            using var command = Store.Command(UndoVersion3 + "UPDATE authors SET weight = 1; UPDATE posts SET score = 2; PRAGMA user_version = 2;");
            return command.ExecuteNonQuery();
        });

        using var upgraded = _t.Open();
        var summary = Assert.Single(upgraded.Forum.List(new ListingQuery()));

        Assert.Equal(2, summary.RawScore);
        Assert.InRange(summary.WeightedScore, 1.0001, 1.1);
    }

    private PostSummary Summary(InfoHash post) =>
        Store.Forum.List(new ListingQuery { Sort = ListingSort.New, Limit = 500 }).Single(p => p.Id == post);
}
