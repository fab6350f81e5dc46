using Upseed.Metainfo;
using Upseed.Records;
using static Upseed.Store.Tests.TestStore;

namespace Upseed.Store.Tests;

public sealed class ModerationTests : IDisposable
{
    private readonly TestStore _t = new();
    private readonly RecordFactory _alice;
    private readonly RecordFactory _bob;

    public ModerationTests()
    {
        _alice = _t.Factory(Alice);
        _bob = _t.Factory(Bob);
    }

    private RecordStore Store => _t.Store;

    public void Dispose() => _t.Dispose();

    // ---------- local blocks ----------

    [Fact]
    public void BlockAuthor_NewRecordsRefusedWithAReason_StoredOnesHiddenAndUnpinned()
    {
        var old = _t.Add(_bob.Post("news", "before the block", "b"));
        Store.Pin(old.Id, PinReason.Policy);
        var kept = _t.Add(_alice.Post("news", "Alice's", "b"));

        Store.Block(BlockKind.Author, Bob.PublicKeyHex);
        var result = Store.Ingest(_bob.Post("news", "after the block", "b").Bytes);

        Assert.Equal(IngestOutcome.Rejected, result.Outcome);
        Assert.Equal(RejectReason.Blocked, result.Rejection!.Reason);
        Assert.Contains("blocked the author", result.Rejection.Message, StringComparison.Ordinal);
        Assert.Equal([kept.Id], Listed());
        Assert.Null(Store.Forum.Thread(old.Id));
        Assert.False(Store.IsPinned(old.Id));
        Assert.False(Store.TryGetPinnedBytes(old.Id, out _));
        Assert.True(Store.TryGetBytes(old.Id, out var bytes)); // kept, byte for byte, only hidden
        Assert.Equal(old.Bytes.ToArray(), bytes);
        var hidden = Assert.Single(Store.Hidden());
        Assert.Equal((old.Id, HideReason.BlockedAuthor, Bob.PublicKeyHex), (hidden.Id, hidden.Reason, hidden.Source));
        Assert.True(Store.IsBlocked(old, out var why));
        Assert.Contains("blocked", why, StringComparison.Ordinal);
        Assert.Equal([new Block(BlockKind.Author, Bob.PublicKeyHex, _t.Now)], Store.Blocks());
    }

    [Fact]
    public void Unblock_Author_ListedAgainAndVotesCountAgain()
    {
        var post = _t.Add(_bob.Post("news", "p", "b"));
        var target = _t.Add(_alice.Post("news", "t", "b"));
        Store.Follow(Bob.PublicKey.Span);
        _t.Add(_bob.Vote("news", target.Id, 1));
        Store.Block(BlockKind.Author, Bob.PublicKeyHex.ToUpperInvariant());
        Assert.Equal(0, Summary(target.Id).WeightedScore);

        Assert.True(Store.Unblock(BlockKind.Author, Bob.PublicKeyHex));

        Assert.Contains(post.Id, Listed());
        Assert.Equal(1.0, Summary(target.Id).WeightedScore);
        Assert.Empty(Store.Hidden());
        Assert.False(Store.Unblock(BlockKind.Author, Bob.PublicKeyHex));
    }

    [Fact]
    public void BlockCommunity_RefusesItsRecordsAndHidesStoredOnes()
    {
        var stored = _t.Add(_alice.Post("spam", "old", "b"));
        _t.Add(_alice.Post("news", "fine", "b"));

        Store.Block(BlockKind.Community, "spam");

        Assert.Equal(RejectReason.Blocked, Store.Ingest(_alice.Post("spam", "new", "b").Bytes).Rejection!.Reason);
        Assert.Equal(RejectReason.Blocked, Store.Ingest(_alice.Vote("spam", stored.Id, 1).Bytes).Rejection!.Reason);
        Assert.DoesNotContain(stored.Id, Listed());
        Assert.Equal(HideReason.BlockedCommunity, Assert.Single(Store.Hidden()).Reason);
    }

    [Fact]
    public void BlockWord_RegexOverTitleAndBody_CaseInsensitive()
    {
        var stored = _t.Add(_alice.Post("news", "Cheap PILLS here", "b"));
        var clean = _t.Add(_alice.Post("news", "Gardening", "about pillows"));

        Store.Block(BlockKind.Word, @"\bpills?\b");

        var refused = Store.Ingest(_bob.Post("news", "hello", "buy pill now").Bytes);
        Assert.Equal(RejectReason.Blocked, refused.Rejection!.Reason);
        Assert.Contains(@"\bpills?\b", refused.Rejection.Message, StringComparison.Ordinal);
        Assert.Equal([clean.Id], Listed());
        Assert.Equal((stored.Id, HideReason.BlockedWord), (Store.Hidden()[0].Id, Store.Hidden()[0].Reason));
    }

    [Theory]
    [InlineData(BlockKind.Word, "(unclosed")]
    [InlineData(BlockKind.Word, @"(a)\1")] // backreferences need backtracking; patterns must run in linear time
    [InlineData(BlockKind.Author, "abc")]
    [InlineData(BlockKind.Community, "Not A Name")]
    public void Block_BadValue_ThrowsWithAReason(BlockKind kind, string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => Store.Block(kind, value));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        Assert.Empty(Store.Blocks());
    }

    [Fact]
    public void Block_InAnotherProcess_AppliesAtTheNextIngestHere()
    {
        var node = _t.Open();
        Assert.Equal(IngestOutcome.Accepted, node.Ingest(_bob.Post("news", "one", "b").Bytes).Outcome);

        Store.Block(BlockKind.Author, Bob.PublicKeyHex); // the CLI, beside a running node

        Assert.Equal(RejectReason.Blocked, node.Ingest(_bob.Post("news", "two", "b").Bytes).Rejection!.Reason);
    }

    // ---------- labels ----------

    [Fact]
    public void Label_FromAFollowedModerator_HidesAndUnseeds_FromOthersNothing()
    {
        var moderator = Key(50);
        var stranger = Key(51);
        var post = _t.Add(_alice.Post("news", "p", "b"));
        Store.Pin(post.Id, PinReason.Policy);
        Store.FollowModerator(moderator.PublicKey.Span);

        _t.Add(_t.Factory(stranger).LabelRecord("spam", post.Id, null));
        Assert.Equal([post.Id], Listed());

        _t.Add(_t.Factory(moderator).LabelRecord("spam", post.Id, null, reason: "ads"));
        Assert.Empty(Listed());
        Assert.False(Store.IsPinned(post.Id));
        var hidden = Assert.Single(Store.Hidden());
        Assert.Equal((HideReason.Label, moderator.PublicKeyHex, "spam"), (hidden.Reason, hidden.Source, hidden.Detail));
    }

    [Fact]
    public void FollowModerator_Later_AppliesTheirEarlierLabels_UnfollowLiftsThem()
    {
        var moderator = Key(52);
        var post = _t.Add(_alice.Post("news", "p", "b"));
        _t.Add(_t.Factory(moderator).LabelRecord("off-topic", post.Id, null));
        Assert.Equal([post.Id], Listed());

        Store.FollowModerator(moderator.PublicKey.Span, "news");
        Assert.Empty(Listed());

        Assert.True(Store.UnfollowModerator(moderator.PublicKey.Span, "news"));
        Assert.Equal([post.Id], Listed());
    }

    [Fact]
    public void FollowModerator_ForOneCommunity_LabelsElsewhereDoNothing()
    {
        var moderator = Key(53);
        Store.FollowModerator(moderator.PublicKey.Span, "news");
        var elsewhere = _t.Add(_alice.Post("cooking", "p", "b"));

        _t.Add(_t.Factory(moderator).LabelRecord("spam", elsewhere.Id, null, community: "news"));

        Assert.Equal([elsewhere.Id], Listed());
        Assert.Equal([(string?)"news"], Store.FollowedModerators().Select(m => m.Community));
    }

    [Fact]
    public void Label_ArrivingBeforeItsPost_HidesThePostOnArrival()
    {
        var moderator = Key(54);
        Store.FollowModerator(moderator.PublicKey.Span);
        var post = _alice.Post("news", "p", "b");

        _t.Add(_t.Factory(moderator).LabelRecord("spam", post.Id, null));
        _t.Add(post);

        Assert.Empty(Listed());
        Assert.False(Store.IsPinned(post.Id));
    }

    [Fact]
    public void Label_OnAnAuthor_HidesTheirPostsInThatCommunity()
    {
        var moderator = Key(55);
        Store.FollowModerator(moderator.PublicKey.Span);
        var inNews = _t.Add(_bob.Post("news", "p", "b"));
        var elsewhere = _t.Add(_bob.Post("cooking", "p", "b"));

        _t.Add(_t.Factory(moderator).LabelRecord("spammer", null, Bob.PublicKey, community: "news"));
        var later = _t.Add(_bob.Post("news", "later", "b"));

        Assert.Equal([elsewhere.Id], Listed());
        Assert.Equal(new[] { inNews.Id, later.Id }.Order(), Store.Hidden().Select(h => h.Id).Order());
    }

    [Fact]
    public void Label_OnAComment_TakesItOutOfTheThreadAndTheCount()
    {
        var moderator = Key(56);
        Store.FollowModerator(moderator.PublicKey.Span);
        var post = _t.Add(_alice.Post("news", "p", "b"));
        var comment = _t.Add(_bob.Comment("news", post.Id, post.Id, "rude"));
        Assert.Equal(1, Summary(post.Id).Comments);

        _t.Add(_t.Factory(moderator).LabelRecord("rude", comment.Id, null));

        Assert.Equal(0, Summary(post.Id).Comments);
        Assert.Empty(Store.Forum.Thread(post.Id)!.Replies);
    }

    [Fact]
    public void HidingLabelsSetting_OnlyListedLabelsHide()
    {
        var moderator = Key(57);
        Store.FollowModerator(moderator.PublicKey.Span);
        Store.SetSetting(RecordStore.HidingLabelsSetting, "spam, illegal");
        var post = _t.Add(_alice.Post("news", "p", "b"));

        _t.Add(_t.Factory(moderator).LabelRecord("nsfw", post.Id, null));
        Assert.Equal([post.Id], Listed());

        _t.Add(_t.Factory(moderator).LabelRecord("spam", post.Id, null));
        Assert.Empty(Listed());
    }

    // ---------- charters ----------

    [Fact]
    public void Charter_ByAMemberFounder_ItsModeratorsLabelsCount()
    {
        var founder = _t.Factory(_t.Member(Key(60)));
        var moderator = Key(61);
        var post = _t.Add(_alice.Post("news", "p", "b"));

        _t.Add(founder.Charter("news", "Be kind.", [moderator.PublicKey], title: "News"));
        _t.Add(_t.Factory(moderator).LabelRecord("unkind", post.Id, null));

        Assert.Empty(Listed());
        Assert.True(Store.TryGetCharter("news", out var charter));
        Assert.Equal("Be kind.", charter.Rules);
        Assert.Equal("News", charter.Title);
    }

    [Fact]
    public void Charter_TwoStrangersClaimACommunity_NeitherIsHonoured_UntilTheAdminPicks()
    {
        var first = Key(62);
        var second = Key(63);
        _t.Add(_t.Factory(first).Charter("news", "mine", [first.PublicKey]));
        Assert.True(Store.TryGetCharter("news", out _)); // the only charter so far
        _t.Add(_t.Factory(second).Charter("news", "no, mine", [second.PublicKey]));
        Assert.False(Store.TryGetCharter("news", out _));

        Store.SetSetting("charter.news", second.PublicKeyHex);

        Assert.True(Store.TryGetCharter("news", out var charter));
        Assert.Equal("no, mine", charter.Rules);
    }

    [Fact]
    public void Charter_Difficulty_RaisesTheProofOfWorkForItsCommunityOnly()
    {
        var founder = _t.Factory(_t.Member(Key(64)));
        _t.Add(founder.Charter("news", "rules", [], postDifficulty: Work + 4));

        var cheap = _alice.Post("news", "cheap", "b");
        var result = Store.Ingest(cheap.Bytes);
        Assert.Equal(RecordCodec.WorkBits(cheap) >= Work + 4 ? IngestOutcome.Accepted : IngestOutcome.Rejected, result.Outcome);
        Assert.Equal(Work + 4, Store.RequiredWork(RecordKind.Post, "news"));
        Assert.Equal(Work, Store.RequiredWork(RecordKind.Post, "cooking"));

        var costly = new RecordFactory(Alice, _t.Options with { RequiredWork = (_, _) => Work + 4 }).Post("news", "costly", "b");
        Assert.Equal(IngestOutcome.Accepted, Store.Ingest(costly.Bytes).Outcome);
    }

    [Fact]
    public void CommunitySizeLimit_RefusesLargerPosts()
    {
        Store.SetSetting("limit.record.news", "400");

        var result = Store.Ingest(_alice.Post("news", "long", new string('x', 500)).Bytes);

        Assert.Equal(RejectReason.TooLarge, result.Rejection!.Reason);
        Assert.Equal(IngestOutcome.Accepted, Store.Ingest(_alice.Post("cooking", "long", new string('x', 500)).Bytes).Outcome);
    }

    // ---------- retractions ----------

    [Fact]
    public void Retract_WithEdit_OriginalUnpinnedUnseededKeptIntact_ThreadPointsAtTheEdit()
    {
        var original = _t.Add(_alice.Post("news", "Typo", "teh body", created: _t.Now - 10));
        Store.Pin(original.Id, PinReason.Upvote);
        var edit = _t.Add(_alice.Post("news", "Typo fixed", "the body"));

        var retract = _t.Add(_alice.Retract("news", original.Id, edit.Id));

        Assert.Equal([edit.Id], Listed());
        Assert.False(Store.IsPinned(original.Id));
        Assert.False(Store.TryGetPinnedBytes(original.Id, out _));
        var node = Store.Forum.Thread(original.Id)!;
        Assert.True(node.Retracted);
        Assert.Null(node.Body);
        Assert.Equal(edit.Id, node.ReplacedBy);
        var hidden = Assert.Single(Store.Hidden());
        Assert.Equal((HideReason.Retracted, retract.Id.ToHex(), edit.Id.ToHex()), (hidden.Reason, hidden.Source, hidden.Detail));
        Assert.True(Store.IsBlocked(original, out _));

        // Retention of truth: the original's bytes are untouched; the edit and the retraction are new signed records.
        Assert.True(Store.TryGetBytes(original.Id, out var bytes));
        Assert.Equal(original.Bytes.ToArray(), bytes);
        Assert.True(RecordCodec.TryParse(bytes, _t.Options, out _, out _));
        Assert.All(new SignedRecord[] { edit, retract }, r => Assert.True(RecordCodec.TryParse(r.Bytes, _t.Options, out _, out _)));
    }

    [Fact]
    public void Retract_ArrivingBeforeThePost_PostHiddenAndNotPinnedOnArrival()
    {
        var post = _alice.Post("news", "p", "b");
        _t.Add(_alice.Retract("news", post.Id));
        Store.Pin(post.Id, PinReason.Upvote);

        _t.Add(post);

        Assert.Empty(Listed());
        Assert.False(Store.IsPinned(post.Id));
        Assert.Equal(HideReason.Retracted, Assert.Single(Store.Hidden()).Reason);
    }

    // ---------- communities carried ----------

    [Fact]
    public void NotCarried_RecordsOfOtherCommunitiesRefused_UnlessPinned()
    {
        Store.SetSetting(SeedingPolicy.CommunitiesSetting, "news, cooking");
        var elsewhere = _alice.Post("knitting", "p", "b");

        var refused = Store.Ingest(elsewhere.Bytes);
        Assert.Equal(RejectReason.NotCarried, refused.Rejection!.Reason);
        Assert.True(Store.IsBlocked(elsewhere, out var why));
        Assert.Contains("does not carry", why, StringComparison.Ordinal);

        Store.Pin(elsewhere.Id, PinReason.Manual);
        Assert.Equal(IngestOutcome.Accepted, Store.Ingest(elsewhere.Bytes).Outcome);
        Assert.Equal(IngestOutcome.Accepted, Store.Ingest(_bob.Vote("knitting", elsewhere.Id, 1).Bytes).Outcome);
        Assert.Equal(IngestOutcome.Accepted, Store.Ingest(_alice.Post("cooking", "p", "b").Bytes).Outcome);
    }

    private List<InfoHash> Listed() => [.. Store.Forum.List(new ListingQuery { Sort = ListingSort.New, Limit = 500 }).Select(p => p.Id)];

    private PostSummary Summary(InfoHash post) =>
        Store.Forum.List(new ListingQuery { Sort = ListingSort.New, Limit = 500 }).Single(p => p.Id == post);
}
