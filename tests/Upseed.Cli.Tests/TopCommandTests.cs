namespace Upseed.Cli.Tests;

public sealed class TopCommandTests : IDisposable
{
    private static readonly TimeSpan s_day = TimeSpan.FromDays(1);

    private readonly CliSandbox _cli = new();
    private readonly string _alice;

    public TopCommandTests() => _alice = _cli.NewIdentity("Alice");

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Top_Json_ObjectsCarryTheContractFields()
    {
        var id = _cli.Post("gardening", "First tomatoes");

        var post = Assert.Single(_cli.Top());

        Assert.Equal(id, post.GetProperty("id").GetString());
        Assert.Equal("gardening", post.GetProperty("community").GetString());
        Assert.Equal("First tomatoes", post.GetProperty("title").GetString());
        Assert.Equal(_alice, post.GetProperty("author").GetString());
        Assert.Equal(0, post.GetProperty("score").GetInt64());
        Assert.Equal(0, post.GetProperty("comments").GetInt64());
        Assert.Equal(_cli.Clock.UnixNow, post.GetProperty("created").GetInt64());
    }

    [Fact]
    public void Top_Json_CommentsCountsNestedComments()
    {
        var id = _cli.Post("gardening", "First tomatoes");
        var first = _cli.Comment(id, "Top-level.");
        var reply = _cli.Comment(first, "A reply.");
        _cli.Comment(reply, "A reply to the reply.");
        _cli.Comment(id, "Another top-level.");

        var post = Assert.Single(_cli.Top());

        Assert.Equal(4, post.GetProperty("comments").GetInt64());
    }

    [Fact]
    public void Top_Json_LeavesOutComments()
    {
        var id = _cli.Post("gardening", "First tomatoes");
        _cli.Comment(id, "Not a post.");

        Assert.Equal([id], _cli.TopIds("--sort", "new"));
    }

    [Fact]
    public void Top_Empty_PrintsEmptyArray()
    {
        Assert.Empty(_cli.Top());
    }

    [Fact]
    public void Top_Community_ListsOnlyThatCommunity()
    {
        var garden = _cli.Post("gardening", "Tomatoes");
        _cli.Post("cycling", "Punctures");
        var garden2 = _cli.Post("gardening", "Beans");

        Assert.Equal(new[] { garden, garden2 }.Order(), _cli.TopIds("--community", "gardening").Order());
        Assert.Empty(_cli.Top("--community", "knitting"));
    }

    [Fact]
    public void Top_SortNew_NewestFirst()
    {
        var old = _cli.Post("gardening", "Old");
        _cli.Clock.Advance(TimeSpan.FromHours(1));
        var middle = _cli.Post("gardening", "Middle");
        _cli.Clock.Advance(TimeSpan.FromHours(1));
        var newest = _cli.Post("gardening", "Newest");

        Assert.Equal([newest, middle, old], _cli.TopIds("--sort", "new"));
    }

    [Fact]
    public void Top_SortTop_HighestScoreFirstThenNewest()
    {
        var old = _cli.Post("gardening", "Old but liked");
        _cli.Clock.Advance(TimeSpan.FromHours(1));
        var fresh = _cli.Post("gardening", "Fresh");
        _cli.Clock.Advance(TimeSpan.FromHours(1));
        var fresher = _cli.Post("gardening", "Fresher");
        _cli.Ok("vote", old);

        Assert.Equal([old, fresher, fresh], _cli.TopIds("--sort", "top", "--period", "day"));
        Assert.Equal([fresher, fresh, old], _cli.TopIds("--sort", "new"));
    }

    [Fact]
    public void Top_SortHot_UpvotedBeatsSameAgeAndFreshBeatsStale()
    {
        var stale = _cli.Post("gardening", "Three days old, upvoted");
        _cli.Ok("vote", stale);
        _cli.Clock.Advance(3 * s_day);
        var plain = _cli.Post("gardening", "Fresh");
        var liked = _cli.Post("gardening", "Fresh and upvoted");
        _cli.Ok("vote", liked);

        Assert.Equal([liked, plain, stale], _cli.TopIds("--sort", "hot"));
        Assert.Equal(_cli.TopIds("--sort", "hot"), _cli.TopIds()); // hot is the default
    }

    [Theory]
    [InlineData("day", 1)]
    [InlineData("week", 2)]
    [InlineData("month", 3)]
    [InlineData("year", 4)]
    [InlineData("all", 5)]
    public void Top_Period_IncludesPostsOfThatPeriodOnly(string period, int expected)
    {
        // Posts aged 400, 60, 10, 2 and 0 days when the listing runs; the periods are 1, 7, 30, 365 days and all.
        var ids = new List<string> { _cli.Post("gardening", "400 days old") };
        foreach (var (step, age) in new[] { (340, 60), (50, 10), (8, 2), (2, 0) })
        {
            _cli.Clock.Advance(step * s_day);
            ids.Add(_cli.Post("gardening", $"{age} days old"));
        }

        var listed = _cli.TopIds("--sort", "top", "--period", period, "--limit", "500");

        Assert.Equal(Enumerable.Reverse(ids).Take(expected), listed);
    }

    [Fact]
    public void Top_PeriodDefault_IsDay()
    {
        _cli.Post("gardening", "Yesterday's");
        _cli.Clock.Advance(2 * s_day);
        var today = _cli.Post("gardening", "Today's");

        Assert.Equal([today], _cli.TopIds("--sort", "top"));
    }

    [Fact]
    public void Top_Limit_ReturnsAtMostThatMany()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(_cli.Post("gardening", $"Post {i}"));
            _cli.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal([ids[4], ids[3]], _cli.TopIds("--sort", "new", "--limit", "2"));
        Assert.Equal(5, _cli.Top("--limit", "500").Count);
    }

    [Fact]
    public void Top_Text_ShowsTitleAndId()
    {
        var id = _cli.Post("gardening", "First tomatoes");

        var result = _cli.Ok("top");

        Assert.Contains("First tomatoes", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(id, result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--sort", "best")]     // not hot, new or top
    [InlineData("--period", "decade")] // not a period
    [InlineData("--limit", "0")]       // below 1
    [InlineData("--limit", "501")]     // above 500
    [InlineData("--limit", "many")]    // not a number
    public void Top_BadOptionValue_ExitsUsage(string option, string value)
    {
        var result = _cli.Run("top", option, value, "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.NotEmpty(result.StandardError);
        Assert.Equal(string.Empty, result.StandardOutput);
    }
}
