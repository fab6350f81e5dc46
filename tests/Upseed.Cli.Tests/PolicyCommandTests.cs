using Upseed.Metainfo;
using Upseed.Store;

namespace Upseed.Cli.Tests;

public sealed class PolicyCommandTests : IDisposable
{
    private readonly CliSandbox _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void PolicySet_ValidValue_Stored_BadValueOrUnknownKey_UsageError()
    {
        _cli.Ok("policy", "set", SeedingPolicy.QuotaRecordsSetting, "1000");

        Assert.Equal(2, _cli.Run("policy", "set", SeedingPolicy.QuotaRecordsSetting, "lots").ExitCode);
        Assert.Equal(2, _cli.Run("policy", "set", "no.such.setting", "1").ExitCode);
        Assert.Contains(_cli.Json("policy", "show").GetProperty("settings").EnumerateArray(),
            s => s.GetProperty("key").GetString() == SeedingPolicy.QuotaRecordsSetting && s.GetProperty("value").GetString() == "1000");
        using var store = _cli.OpenStore();
        Assert.Equal(1000, store.SeedingPolicy.QuotaRecords);
    }

    [Fact]
    public void PolicyGc_SmallQuota_PrintsWhatItDropped_KeepsOwnPosts()
    {
        var me = _cli.NewIdentity("Me");
        var mine = _cli.Post("news", "mine");
        using (var store = _cli.OpenStore())
        {
            var stranger = new Upseed.Records.RecordFactory(
                Upseed.Crypto.Ed25519.Generate(), store.ValidationOptions);
            store.Ingest(stranger.Post("news", "theirs", "b").Bytes);
        }

        _cli.Ok("policy", "set", SeedingPolicy.QuotaRecordsSetting, "2");
        var gc = _cli.Json("policy", "gc");

        var dropped = Assert.Single(gc.GetProperty("dropped").EnumerateArray());
        Assert.Equal(DropReason.OverQuota, dropped.GetProperty("reason").GetString());
        Assert.Equal([mine], _cli.TopIds("--sort", "new"));
        Assert.Contains(dropped.GetProperty("id").GetString()!, _cli.Ok("policy", "dropped").StandardOutput, StringComparison.Ordinal);
        Assert.NotEmpty(me);
    }

    [Fact]
    public void BlockAuthor_HidesTheirPost_ListedInBlocksAndHidden_UnblockShowsIt()
    {
        var alice = _cli.NewIdentity("Alice");
        var post = _cli.Post("news", "hello");

        _cli.Ok("block", "author", alice);
        Assert.Empty(_cli.TopIds());
        Assert.Contains(alice, _cli.Ok("blocks").StandardOutput, StringComparison.Ordinal);
        Assert.Contains(_cli.Json("hidden").EnumerateArray(), h => h.GetProperty("id").GetString() == post && h.GetProperty("reason").GetString() == HideReason.BlockedAuthor);

        _cli.Ok("unblock", "author", alice);
        Assert.Equal([post], _cli.TopIds());
        Assert.Equal(1, _cli.Run("unblock", "author", alice).ExitCode);
    }

    [Fact]
    public void BlockWord_BadPattern_UsageErrorWithTheReason()
    {
        var result = _cli.Run("block", "word", "(unclosed");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a usable pattern", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void BlockWord_PostingAMatchingPost_RejectedWithExit3()
    {
        _cli.NewIdentity("Alice");
        _cli.Ok("block", "word", "casino");

        var result = _cli.Run("post", "--community", "news", "--title", "Best CASINO", "--body", "b");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("blocked", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void FollowMod_ThenBlocks_ListsTheModeratorAndCommunity()
    {
        var key = new string('a', 64);

        _cli.Ok("follow-mod", key, "--community", "news");
        _cli.Ok("follow", new string('b', 64));

        var blocks = _cli.Json("blocks");
        var moderator = Assert.Single(blocks.GetProperty("moderators").EnumerateArray());
        Assert.Equal(key, moderator.GetProperty("key").GetString());
        Assert.Equal("news", moderator.GetProperty("community").GetString());
        Assert.Single(blocks.GetProperty("follows").EnumerateArray());
        Assert.Equal(0, _cli.Run("unfollow-mod", key, "--community", "news").ExitCode);
        Assert.Equal(1, _cli.Run("unfollow-mod", key, "--community", "news").ExitCode);
        Assert.Equal(2, _cli.Run("follow-mod", "nope").ExitCode);
    }

    [Fact]
    public void Vote_DownAfterUp_UnpinsThePost()
    {
        _cli.NewIdentity("Alice");
        var post = _cli.Post("news", "hello");
        _cli.NewIdentity("Bob");

        _cli.Ok("vote", post);
        _cli.Clock.Advance(TimeSpan.FromSeconds(5));
        _cli.Ok("vote", post, "--down");

        using var store = _cli.OpenStore();
        Assert.DoesNotContain(store.Pins(InfoHash.Parse(post)), p => p.Reason == PinReason.Upvote);
    }
}
