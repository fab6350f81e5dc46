using Upseed.Metainfo;
using Upseed.Store;

namespace Upseed.Cli.Tests;

public sealed class VoteCommandTests : IDisposable
{
    private readonly CliSandbox _cli = new();
    private readonly string _alice;
    private readonly string _post;

    public VoteCommandTests()
    {
        _alice = _cli.NewIdentity("Alice");
        _cli.NewIdentity("Bob"); // the default voter from here on
        _post = _cli.Post("gardening", "First tomatoes", asKey: _alice);
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Vote_UpThenDownThenClear_ScoreAndUpvotePinFollow()
    {
        _cli.Ok("vote", _post);
        Assert.Equal(1, Score());
        Assert.True(PinnedForUpvote());

        _cli.Clock.Advance(TimeSpan.FromSeconds(5));
        _cli.Ok("vote", _post, "--down");
        Assert.Equal(-1, Score());
        Assert.False(PinnedForUpvote());

        _cli.Clock.Advance(TimeSpan.FromSeconds(5));
        _cli.Ok("vote", _post);
        Assert.True(PinnedForUpvote());

        _cli.Clock.Advance(TimeSpan.FromSeconds(5));
        _cli.Ok("vote", _post, "--clear");
        Assert.Equal(0, Score());
        Assert.False(PinnedForUpvote());
    }

    [Fact]
    public void Vote_ChangedWithinOneSecond_LastCommandWins()
    {
        // People (and scripts) change their mind faster than the one-second resolution of "created".
        _cli.Ok("vote", _post);
        _cli.Ok("vote", _post, "--down");
        Assert.Equal(-1, Score());
        _cli.Ok("vote", _post, "--clear");
        Assert.Equal(0, Score());
        _cli.Ok("vote", _post);
        Assert.Equal(1, Score());
        _cli.Ok("vote", _post, "--down");
        Assert.Equal(-1, Score());
    }

    [Fact]
    public void Vote_TwoVoters_ScoreIsSumOfLatestVotes()
    {
        _cli.Ok("vote", _post);
        _cli.Ok("vote", _post, "--as", _alice[..12]);
        _cli.Clock.Advance(TimeSpan.FromSeconds(1));
        _cli.Ok("vote", _post);

        Assert.Equal(2, Score());
    }

    [Fact]
    public void Vote_OwnPostDownvoted_StaysPinnedAsOwn()
    {
        // Alice's post was made on this box, so the box seeds it whatever anyone votes.
        using (var store = _cli.OpenStore())
        {
            Assert.Contains(store.Pins(InfoHash.Parse(_post)), p => p.Reason == PinReason.Own);
        }

        _cli.Ok("vote", _post, "--down");

        using var after = _cli.OpenStore();
        Assert.Equal([PinReason.Own], after.Pins(InfoHash.Parse(_post)).Select(p => p.Reason));
    }

    [Fact]
    public void Vote_Json_ReportsValueScoreAndSeeding()
    {
        var json = _cli.Json("vote", _post);

        Assert.Equal(_post, json.GetProperty("target").GetString());
        Assert.Equal(1, json.GetProperty("value").GetInt32());
        Assert.Equal(1, json.GetProperty("score").GetInt64());
        Assert.True(json.GetProperty("seeding").GetBoolean());
        Assert.Matches(Patterns.RecordId, json.GetProperty("vote").GetString());
    }

    [Fact]
    public void Vote_Comment_ChangesCommentScoreInThread()
    {
        var comment = _cli.Comment(_post, "Sungold here.");

        _cli.Ok("vote", comment, "--down");

        var thread = _cli.Json("show", _post);
        Assert.Equal(-1, Assert.Single(thread.GetProperty("comments").EnumerateArray()).GetProperty("score").GetInt64());
        Assert.Equal(0, thread.GetProperty("score").GetInt64());
    }

    [Fact]
    public void Vote_UnknownId_ExitsFailure()
    {
        var result = _cli.Run("vote", new string('b', 40));

        Assert.Equal(1, result.ExitCode);
    }

    private long Score() => _cli.Top("--sort", "new").Single(p => p.GetProperty("id").GetString() == _post).GetProperty("score").GetInt64();

    private bool PinnedForUpvote()
    {
        using var store = _cli.OpenStore();
        return store.Pins(InfoHash.Parse(_post)).Any(p => p.Reason == PinReason.Upvote);
    }
}
