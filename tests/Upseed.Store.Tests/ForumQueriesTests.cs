using Upseed.Metainfo;
using Upseed.Records;
using static Upseed.Store.Tests.TestStore;

namespace Upseed.Store.Tests;

public sealed class ForumQueriesTests : IDisposable
{
    private const long Hour = 3600;
    private const long Day = 86_400;

    private readonly TestStore _t = new();
    private readonly RecordFactory _alice;
    private int _nextVoter = 100;

    public ForumQueriesTests() => _alice = _t.Factory(Alice);

    private RecordStore Store => _t.Store;

    private ForumQueries Forum => _t.Store.Forum;

    public void Dispose() => _t.Dispose();

    // ---------- New ----------

    [Fact]
    public void List_New_NewestFirst()
    {
        var old = Post("Old", ageSeconds: 3 * Day);
        var newest = Post("Newest", ageSeconds: 0);
        var middle = Post("Middle", ageSeconds: Hour);

        Assert.Equal([newest, middle, old], Ids(new ListingQuery { Sort = ListingSort.New }));
    }

    [Fact]
    public void List_New_LeavesOutComments()
    {
        var root = Post("Root", ageSeconds: 10);
        _t.Add(_alice.Comment("gardening", root, root, "a comment"));

        Assert.Equal([root], Ids(new ListingQuery { Sort = ListingSort.New }));
    }

    [Fact]
    public void List_Summary_CarriesTheFields()
    {
        _t.Add(_alice.Identity("Alice"));
        var id = Post("Tomatoes", ageSeconds: 60, score: 2);

        var summary = Assert.Single(Forum.List(new ListingQuery()));

        Assert.Equal(id, summary.Id);
        Assert.Equal("gardening", summary.Community);
        Assert.Equal("Tomatoes", summary.Title);
        Assert.Equal(Alice.PublicKey.ToArray(), summary.Author.ToArray());
        Assert.Equal("Alice", summary.AuthorName);
        Assert.Equal(2, summary.Score);
        Assert.Equal(0, summary.Comments);
        Assert.Equal(_t.Now - 60, summary.Created);
    }

    // ---------- Top ----------

    [Theory]
    [InlineData(TopPeriod.Day, new[] { "hour" })]
    [InlineData(TopPeriod.Week, new[] { "2 days", "hour" })]
    [InlineData(TopPeriod.Month, new[] { "10 days", "2 days", "hour" })]
    [InlineData(TopPeriod.Year, new[] { "60 days", "10 days", "2 days", "hour" })]
    [InlineData(TopPeriod.All, new[] { "400 days", "60 days", "10 days", "2 days", "hour" })]
    public void List_TopPeriod_OnlyPostsOfThePeriodByScore(TopPeriod period, string[] expected)
    {
        // Older posts score higher, so the order shows the sort and the cut shows the period.
        Post("hour", ageSeconds: Hour, score: 1);
        Post("2 days", ageSeconds: 2 * Day, score: 2);
        Post("10 days", ageSeconds: 10 * Day, score: 3);
        Post("60 days", ageSeconds: 60 * Day, score: 4);
        Post("400 days", ageSeconds: 400 * Day, score: 5);

        var titles = Forum.List(new ListingQuery { Sort = ListingSort.Top, Period = period }).Select(p => p.Title);

        Assert.Equal(expected, titles);
    }

    [Fact]
    public void List_TopDefaultPeriod_IsDay()
    {
        Post("today", ageSeconds: Hour);
        Post("last week", ageSeconds: 3 * Day, score: 9);

        Assert.Equal(["today"], Forum.List(new ListingQuery { Sort = ListingSort.Top }).Select(p => p.Title));
    }

    [Fact]
    public void List_TopEqualScores_NewestFirst()
    {
        var older = Post("older", ageSeconds: 2 * Hour, score: 1);
        var newer = Post("newer", ageSeconds: Hour, score: 1);
        var best = Post("best", ageSeconds: 3 * Hour, score: 2);

        Assert.Equal([best, newer, older], Ids(new ListingQuery { Sort = ListingSort.Top }));
    }

    [Fact]
    public void List_TopDay_FollowsTheClock()
    {
        Post("now", ageSeconds: 0);

        _t.Clock.Advance(TimeSpan.FromHours(25));

        Assert.Empty(Forum.List(new ListingQuery { Sort = ListingSort.Top, Period = TopPeriod.Day }));
        Assert.Single(Forum.List(new ListingQuery { Sort = ListingSort.Top, Period = TopPeriod.Week }));
    }

    // ---------- Hot ----------

    [Fact]
    public void List_Hot_FreshPostOutranksOlderHigherScoredOnePerLemmysFormula()
    {
        var fresh = Post("fresh", ageSeconds: 0, score: 0);
        var older = Post("three days, score 5", ageSeconds: 3 * Day, score: 5);

        var now = _t.Now;
        Assert.True(Ranking.Hot(0, now, now) > Ranking.Hot(5, now - (3 * Day), now));
        Assert.Equal([fresh, older], Ids(new ListingQuery { Sort = ListingSort.Hot }));
    }

    [Fact]
    public void List_Hot_OrderMatchesRankingHot()
    {
        var posts = new (string Title, long Age, int Score)[]
        {
            ("a", 0, 0), ("b", 2 * Hour, 3), ("c", 5 * Hour, 8), ("d", Day, 12), ("e", 30 * 60, 1), ("f", 3 * Day, 20),
            ("g", 10 * Hour, 0), ("h", 6 * Day, 40),
        };
        foreach (var (title, age, score) in posts)
        {
            Post(title, age, score);
        }

        var now = _t.Now;
        var expected = posts
            .OrderByDescending(p => Ranking.Hot(p.Score, now - p.Age, now))
            .ThenBy(p => p.Age)
            .Select(p => p.Title);

        Assert.Equal(expected, Forum.List(new ListingQuery()).Select(p => p.Title));
    }

    [Fact]
    public void List_Hot_PostsOlderThanTheWindowComeLastNewestFirst()
    {
        var ancient = Post("ancient, score 50", ageSeconds: 30 * Day, score: 50);
        var old = Post("old, score 30", ageSeconds: 8 * Day, score: 30);
        var recent = Post("recent, score 0", ageSeconds: 6 * Day, score: 0);

        Assert.Equal([recent, old, ancient], Ids(new ListingQuery()));
    }

    [Fact]
    public void List_Hot_NegativeScoreCountsAsZero()
    {
        // Lemmy's current hot rank floors the vote factor at log10(2) (greatest(2, score + 2)), so negative-voted
        // posts keep decaying with time instead of all dropping to rank 0: a newer post at -3 outranks an older one at 0.
        var buried = Post("buried", ageSeconds: 0, score: -3);
        var plain = Post("plain", ageSeconds: 60, score: 0);

        var now = _t.Now;
        Assert.True(Ranking.Hot(-3, now, now) > Ranking.Hot(0, now - 60, now));
        Assert.Equal([buried, plain], Ids(new ListingQuery()));
    }

    [Fact]
    public void Ranking_Hot_IsLemmysFormula()
    {
        // log10(max(2, score + 2)) / (hours + 2)^1.8
        Assert.Equal(Math.Log10(7) / Math.Pow(74, 1.8), Ranking.Hot(5, 0, 72 * 3600), 12);
        Assert.Equal(Math.Log10(2) / Math.Pow(2, 1.8), Ranking.Hot(-10, 100, 100), 12);
        Assert.Equal(Ranking.Hot(0, 100, 100), Ranking.Hot(0, 200, 100)); // dated ahead counts as now
    }

    // ---------- filters and pages ----------

    [Theory]
    [InlineData(ListingSort.Hot)]
    [InlineData(ListingSort.New)]
    [InlineData(ListingSort.Top)]
    public void List_Community_OnlyThatCommunity(ListingSort sort)
    {
        var garden = Post("garden", ageSeconds: 60);
        _t.Add(_alice.Post("cooking", "cook", "body", created: _t.Now - 30));

        var listed = Ids(new ListingQuery { Sort = sort, Community = "gardening" });

        Assert.Equal([garden], listed);
        Assert.Empty(Forum.List(new ListingQuery { Sort = sort, Community = "unknown" }));
        Assert.Equal(2, Forum.List(new ListingQuery { Sort = sort }).Count);
    }

    [Theory]
    [InlineData(ListingSort.Hot, 1)]
    [InlineData(ListingSort.Hot, 5)]
    [InlineData(ListingSort.Hot, 7)]
    [InlineData(ListingSort.New, 4)]
    [InlineData(ListingSort.Top, 3)]
    public void List_Pages_CoverEveryPostOnceInOrder(ListingSort sort, int pageSize)
    {
        // 17 posts inside the hot window and 6 beyond it, so Hot pages cross from one part to the other.
        var random = new Random(7);
        for (var i = 0; i < 23; i++)
        {
            var age = i < 17 ? random.Next(0, 6 * (int)Day) : random.Next(8 * (int)Day, 300 * (int)Day);
            Post($"post {i}", age, score: random.Next(-2, 4));
        }

        var all = Ids(new ListingQuery { Sort = sort, Period = TopPeriod.All, Limit = 100 });
        var paged = new List<InfoHash>();
        for (var offset = 0; offset < 30; offset += pageSize)
        {
            var page = Ids(new ListingQuery { Sort = sort, Period = TopPeriod.All, Limit = pageSize, Offset = offset });
            Assert.True(page.Count <= pageSize);
            paged.AddRange(page);
        }

        Assert.Equal(23, all.Count);
        Assert.Equal(all, paged);
    }

    [Fact]
    public void List_LimitOutOfRange_IsClamped()
    {
        Post("one", 10);
        Post("two", 20);

        Assert.Single(Forum.List(new ListingQuery { Sort = ListingSort.New, Limit = 0 }));
        Assert.Equal(2, Forum.List(new ListingQuery { Sort = ListingSort.New, Limit = 10_000, Offset = -5 }).Count);
    }

    [Theory]
    [InlineData("%", new[] { "100% organic" })]
    [InlineData("_", new[] { "snake_case" })]
    [InlineData("0%", new[] { "100% organic" })]
    [InlineData("e_c", new[] { "snake_case" })]
    [InlineData("\\", new[] { "back\\slash" })]
    [InlineData("TOMATO", new[] { "Tomatoes" })]
    [InlineData("  tomato  ", new[] { "Tomatoes" })]
    [InlineData("100", new[] { "100% organic", "100 percent" })]
    [InlineData("zebra", new string[0])]
    public void List_TitleContains_MatchesLiterally(string search, string[] expected)
    {
        var titles = new[] { "100% organic", "100 percent", "snake_case", "snakeXcase", "back\\slash", "Tomatoes" };
        for (var i = 0; i < titles.Length; i++)
        {
            Post(titles[i], ageSeconds: i);
        }

        foreach (var sort in Enum.GetValues<ListingSort>())
        {
            var found = Forum.List(new ListingQuery { Sort = sort, TitleContains = search }).Select(p => p.Title!);
            Assert.Equal(expected.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
        }
    }

    // ---------- threads ----------

    [Fact]
    public void Thread_Comments_NestedAndSortedByTop()
    {
        var (root, low, high, nested, _) = BuildThread();

        var thread = Forum.Thread(root, CommentSort.Top);

        Assert.NotNull(thread);
        Assert.Equal(root, thread.Id);
        Assert.Equal("The thread", thread.Title);
        Assert.Equal("Opening post.", thread.Body);
        Assert.Equal([high, low], thread.Replies.Select(r => r.Id));
        Assert.Equal([nested], thread.Replies[1].Replies.Select(r => r.Id));
        Assert.Empty(thread.Replies[0].Replies);
        Assert.Equal("a nested reply", thread.Replies[1].Replies[0].Body);
        Assert.Equal(low, thread.Replies[1].Replies[0].Parent);
        Assert.Equal(root, thread.Replies[1].Replies[0].Root);
        Assert.Equal(3, thread.CountReplies());
    }

    [Fact]
    public void Thread_SortNew_NewestRepliesFirst()
    {
        var (root, low, high, _, _) = BuildThread();

        var thread = Forum.Thread(root, CommentSort.New);

        // "low" was written after "high".
        Assert.Equal([low, high], thread!.Replies.Select(r => r.Id));
    }

    [Fact]
    public void Thread_OfAComment_IsThatSubtree()
    {
        var (_, low, _, nested, _) = BuildThread();

        var thread = Forum.Thread(low);

        Assert.NotNull(thread);
        Assert.Null(thread.Title);
        Assert.Equal([nested], thread.Replies.Select(r => r.Id));
    }

    [Fact]
    public void Thread_RetractedComment_KeptInPlaceWithoutBody()
    {
        var (root, low, _, _, _) = BuildThread();
        _t.Add(_alice.Retract("gardening", low));

        var node = Forum.Thread(root)!.Replies.Single(r => r.Id == low);

        Assert.True(node.Retracted);
        Assert.Null(node.Body);
        Assert.Single(node.Replies);
    }

    [Fact]
    public void Thread_UnknownId_IsNull()
    {
        Assert.Null(Forum.Thread(FakeId("nothing")));
    }

    [Fact]
    public void Thread_CommentsArrivedBeforeTheRoot_AreAttachedOnceItArrives()
    {
        var root = _alice.Post("gardening", "Late root", "body");
        var reply = _t.Add(_t.Factory(Bob).Comment("gardening", root.Id, root.Id, "early"));
        Assert.Null(Forum.Thread(root.Id));

        _t.Add(root);

        Assert.Equal([reply.Id], Forum.Thread(root.Id)!.Replies.Select(r => r.Id));
    }

    private (InfoHash Root, InfoHash Low, InfoHash High, InfoHash Nested, RecordFactory Bob) BuildThread()
    {
        var bob = _t.Factory(Bob);
        var root = _t.Add(_alice.Post("gardening", "The thread", "Opening post.", created: _t.Now - 100)).Id;
        var high = _t.Add(bob.Comment("gardening", root, root, "a good reply", created: _t.Now - 90)).Id;
        var low = _t.Add(_alice.Comment("gardening", root, root, "a weaker reply", created: _t.Now - 80)).Id;
        var nested = _t.Add(bob.Comment("gardening", low, root, "a nested reply", created: _t.Now - 70)).Id;
        Vote(high, 3);
        Vote(low, 1);
        return (root, low, high, nested, bob);
    }

    private InfoHash Post(string title, long ageSeconds, int score = 0)
    {
        var id = _t.Add(_alice.Post("gardening", title, "body", created: _t.Now - ageSeconds)).Id;
        Vote(id, score);
        return id;
    }

    private void Vote(InfoHash target, int score)
    {
        for (var i = 0; i < Math.Abs(score); i++)
        {
            // Followed voters vote with full weight, so scores here are whole votes (trust has its own tests).
            var voter = Key(_nextVoter++);
            Store.Follow(voter.PublicKey.Span);
            _t.Add(_t.Factory(voter).Vote("gardening", target, Math.Sign(score)));
        }
    }

    private List<InfoHash> Ids(ListingQuery query) => [.. Forum.List(query).Select(p => p.Id)];
}
