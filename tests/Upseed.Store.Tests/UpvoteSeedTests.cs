using static Upseed.Store.Tests.TestStore;

namespace Upseed.Store.Tests;

/// <summary>Upvote = seed (DESIGN.md "Votes are seeds"), whichever path a member's records come by.</summary>
public sealed class UpvoteSeedTests : IDisposable
{
    private readonly TestStore _t = new();

    private RecordStore Store => _t.Store;

    public void Dispose() => _t.Dispose();

    [Fact]
    public void MemberVotes_UpPinsDownAndWithdrawalUnpin()
    {
        var member = _t.Factory(_t.Member(Key(5)));
        var post = _t.Add(_t.Factory(Alice).Post("news", "p", "b"));

        _t.Add(member.Vote("news", post.Id, 1, created: _t.Now));
        Assert.Equal([PinReason.Upvote], Store.Pins(post.Id).Select(p => p.Reason));
        Assert.True(Store.TryGetPinnedBytes(post.Id, out _));

        _t.Add(member.Vote("news", post.Id, -1, created: _t.Now + 1));
        Assert.Empty(Store.Pins(post.Id));
        Assert.False(Store.IsPinned(post.Id));

        _t.Add(member.Vote("news", post.Id, 1, created: _t.Now + 2));
        _t.Add(member.Vote("news", post.Id, 0, created: _t.Now + 3));
        Assert.Empty(Store.Pins(post.Id));
    }

    [Fact]
    public void MemberDownvote_KeepsOtherPinReasons()
    {
        var member = _t.Factory(_t.Member(Key(5)));
        var post = _t.Add(_t.Factory(Alice).Post("news", "p", "b"));
        Store.Pin(post.Id, PinReason.Manual);

        _t.Add(member.Vote("news", post.Id, -1));

        Assert.Equal([PinReason.Manual], Store.Pins(post.Id).Select(p => p.Reason));
    }

    [Fact]
    public void MemberUpvote_BeforeThePostArrives_PinsItSoItIsTakenAndSeeded()
    {
        Store.SetSetting(SeedingPolicy.CommunitiesSetting, "gardening");
        var member = _t.Factory(_t.Member(Key(5)));
        var post = _t.Factory(Alice).Post("news", "elsewhere", "b");

        _t.Add(member.Vote("news", post.Id, 1));
        _t.Add(post); // "news" is not carried, but the upvote pinned it

        Assert.True(Store.IsPinned(post.Id));
    }

    [Fact]
    public void StrangersVote_PinsNothing()
    {
        var post = _t.Add(_t.Factory(Alice).Post("news", "p", "b"));

        _t.Add(_t.Factory(Bob).Vote("news", post.Id, 1));

        Assert.Empty(Store.Pins(post.Id));
    }

    [Fact]
    public void MembersOwnRecords_ArePinnedAsOwn()
    {
        var member = _t.Factory(_t.Member(Key(6)));

        var identity = _t.Add(member.Identity("me"));
        var post = _t.Add(member.Post("news", "mine", "b"));
        var comment = _t.Add(member.Comment("news", post.Id, post.Id, "me again"));
        var charter = _t.Add(member.Charter("news", "be kind", []));

        foreach (var id in new[] { identity.Id, post.Id, comment.Id, charter.Id })
        {
            Assert.Equal([PinReason.Own], Store.Pins(id).Select(p => p.Reason));
        }
    }

    [Fact]
    public void WebMembersSealedKeys_CountAsMembers()
    {
        var key = Key(8);
        Directory.CreateDirectory(Path.Combine(_t.Folder, "web", "keys"));
        File.WriteAllText(Path.Combine(_t.Folder, "web", "keys", key.PublicKeyHex + ".json"), "{}");

        var post = _t.Add(_t.Factory(key).Post("news", "from the web board", "b"));

        Assert.True(Store.IsMember(key.PublicKey.Span));
        Assert.True(Store.IsPinned(post.Id));
    }
}
