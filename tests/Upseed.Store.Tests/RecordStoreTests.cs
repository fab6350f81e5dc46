using Upseed.Metainfo;
using Upseed.Records;
using static Upseed.Store.Tests.TestStore;

namespace Upseed.Store.Tests;

public sealed class RecordStoreTests : IDisposable
{
    private readonly TestStore _t = new();
    private readonly RecordFactory _alice;
    private readonly RecordFactory _bob;

    public RecordStoreTests()
    {
        _alice = _t.Factory(Alice);
        _bob = _t.Factory(Bob);
    }

    private RecordStore Store => _t.Store;

    public void Dispose() => _t.Dispose();

    // ---------- ingest ----------

    [Fact]
    public void Ingest_NewRecord_IsAcceptedAndStored()
    {
        var post = _alice.Post("gardening", "First tomatoes", "They are red.");

        var result = Store.Ingest(post.Bytes);

        Assert.Equal(IngestOutcome.Accepted, result.Outcome);
        Assert.Equal(post.Id, result.Id);
        Assert.Null(result.Rejection);
        Assert.Equal(1, Store.Count());
        Assert.Equal(1, Store.Count(RecordKind.Post));
        Assert.Equal(0, Store.Count(RecordKind.Vote));
        Assert.True(Store.Contains(post.Id));
        Assert.True(Store.TryGetBytes(post.Id, out var bytes));
        Assert.Equal(post.Bytes.ToArray(), bytes);
    }

    [Fact]
    public void Ingest_SameBytesAgain_IsDuplicateAndCountUnchanged()
    {
        var post = _alice.Post("gardening", "Once", "body");
        Store.Ingest(post.Bytes);

        var again = Store.Ingest(post.Bytes.ToArray());

        Assert.Equal(IngestOutcome.Duplicate, again.Outcome);
        Assert.Equal(post.Id, again.Id);
        Assert.Equal(RejectReason.Duplicate, again.Rejection?.Reason);
        Assert.Equal(1, Store.Count());
    }

    [Fact]
    public void IngestMany_SameRecordTwiceInOneBatch_AcceptsOnceThenDuplicate()
    {
        var vote = _alice.Vote("gardening", FakeId("x"), 1);

        var results = Store.IngestMany([vote.Bytes, vote.Bytes]);

        Assert.Equal([IngestOutcome.Accepted, IngestOutcome.Duplicate], results.Select(r => r.Outcome));
        Assert.Equal(1, Store.Count());
    }

    [Fact]
    public void IngestMany_BadRecordInBatch_DoesNotStopTheOthers()
    {
        var first = _alice.Post("gardening", "One", "body");
        var second = _alice.Post("gardening", "Two", "body");

        var results = Store.IngestMany([first.Bytes, BadRecords.Bytes("truncated"), second.Bytes]);

        Assert.Equal([IngestOutcome.Accepted, IngestOutcome.Rejected, IngestOutcome.Accepted], results.Select(r => r.Outcome));
        Assert.Equal(2, Store.Count());
    }

    [Theory]
    [MemberData(nameof(BadRecords.Names), MemberType = typeof(BadRecords))]
    public void Ingest_BadRecord_RejectedWithReasonAndNothingStored(string name)
    {
        Add(_alice.Post("gardening", "Already here", "body"));

        var result = Store.Ingest(BadRecords.Bytes(name));

        Assert.Equal(IngestOutcome.Rejected, result.Outcome);
        Assert.Null(result.Record);
        Assert.NotNull(result.Rejection);
        Assert.Equal(BadRecords.ReasonOf(name), result.Rejection.Reason);
        Assert.False(string.IsNullOrWhiteSpace(result.Rejection.Message));
        Assert.Equal(1, Store.Count());
    }

    [Fact]
    public void Ingest_NineMinutesAhead_IsAccepted()
    {
        var bytes = Seal(BadRecords.Post(created: _t.Now + (9 * 60)), Alice, withWork: true);

        Assert.Equal(IngestOutcome.Accepted, Store.Ingest(bytes).Outcome);
    }

    [Fact]
    public void Ingest_FutureRecordAfterClockAdvances_IsAccepted()
    {
        var bytes = Seal(BadRecords.Post(created: _t.Now + 3600), Alice, withWork: true);
        Assert.Equal(RejectReason.FutureTimestamp, Store.Ingest(bytes).Rejection?.Reason);

        _t.Clock.Advance(TimeSpan.FromMinutes(51));

        Assert.Equal(IngestOutcome.Accepted, Store.Ingest(bytes).Outcome);
    }

    [Fact]
    public void Ingest_PostUnderCommunityDifficulty_RejectedInsufficientWork()
    {
        Store.SetSetting("pow.post.strict", "16");
        var cheap = _alice.Post("strict", "Cheap", "body");
        var elsewhere = _alice.Post("gardening", "Cheap", "body");

        Assert.Equal(RejectReason.InsufficientWork, Store.Ingest(cheap.Bytes).Rejection?.Reason);
        Assert.Equal(IngestOutcome.Accepted, Store.Ingest(elsewhere.Bytes).Outcome);
        Assert.Equal(16, Store.RequiredWork(RecordKind.Post, "strict"));
        Assert.Equal(Work, Store.RequiredWork(RecordKind.Post, "gardening"));
    }

    // ---------- votes ----------

    [Fact]
    public void Ingest_UpThenDownFromSameVoter_LatestWins()
    {
        var post = Add(_alice.Post("gardening", "Vote on me", "body"));
        var up = Add(_bob.Vote("gardening", post.Id, 1));
        _t.Clock.Advance(TimeSpan.FromSeconds(1));

        Add(_bob.Vote("gardening", post.Id, -1));

        Assert.Equal(-1, Score(post.Id));
        Assert.Equal(-1, Store.VoteOf(Bob.PublicKey.Span, post.Id));
        Assert.False(Store.Contains(up.Id));
        Assert.Equal(1, Store.Count(RecordKind.Vote));
    }

    [Fact]
    public void Ingest_OlderVoteReplayedAfterNewer_RejectedSupersededAndScoreUnchanged()
    {
        var post = Add(_alice.Post("gardening", "Vote on me", "body"));
        var up = _bob.Vote("gardening", post.Id, 1);
        _t.Clock.Advance(TimeSpan.FromSeconds(1));
        var down = _bob.Vote("gardening", post.Id, -1);
        Add(up);
        Add(down);

        var replay = Store.Ingest(up.Bytes);

        Assert.Equal(IngestOutcome.Rejected, replay.Outcome);
        Assert.Equal(RejectReason.Superseded, replay.Rejection?.Reason);
        Assert.Equal(-1, Score(post.Id));
        Assert.Equal(2, Store.Count());
    }

    [Fact]
    public void Ingest_NewerVoteArrivesFirst_OlderOneSuperseded()
    {
        var post = Add(_alice.Post("gardening", "Vote on me", "body"));
        var up = _bob.Vote("gardening", post.Id, 1);
        _t.Clock.Advance(TimeSpan.FromSeconds(1));
        var withdrawn = _bob.Vote("gardening", post.Id, 0);

        Add(withdrawn);

        Assert.Equal(RejectReason.Superseded, Store.Ingest(up.Bytes).Rejection?.Reason);
        Assert.Equal(0, Score(post.Id));
        Assert.Equal(0, Store.VoteOf(Bob.PublicKey.Span, post.Id));
    }

    [Fact]
    public void Ingest_VotesFromDistinctVoters_ScoreIsTheirSum()
    {
        var post = Add(_alice.Post("gardening", "Vote on me", "body"));

        foreach (var (voter, value) in new[] { (3, 1), (4, 1), (5, 1), (6, -1), (7, 0) })
        {
            Add(_t.Factory(Key(voter)).Vote("gardening", post.Id, value));
        }

        Assert.Equal(2, Score(post.Id));
        Assert.Null(Store.VoteOf(Key(99).PublicKey.Span, post.Id));
    }

    [Fact]
    public void Ingest_VoteBeforeItsPost_CountedWhenThePostArrives()
    {
        var post = _alice.Post("gardening", "Late", "body");
        Add(_bob.Vote("gardening", post.Id, 1));
        Add(_t.Factory(Key(3)).Vote("gardening", post.Id, 1));

        Add(post);

        Assert.Equal(2, Score(post.Id));
    }

    // ---------- comments ----------

    [Fact]
    public void Ingest_Comments_CountedOnTheRootAtAllDepths()
    {
        var root = Add(_alice.Post("gardening", "Thread", "body"));
        var reply = Add(_bob.Comment("gardening", root.Id, root.Id, "first"));
        Add(_alice.Comment("gardening", reply.Id, root.Id, "nested"));
        Add(_bob.Comment("gardening", root.Id, root.Id, "second"));

        Assert.Equal(3, Summary(root.Id).Comments);
    }

    [Fact]
    public void Ingest_CommentBeforeItsRoot_CountedWhenTheRootArrives()
    {
        var root = _alice.Post("gardening", "Thread", "body");
        var reply = Add(_bob.Comment("gardening", root.Id, root.Id, "early"));
        Add(_alice.Comment("gardening", reply.Id, root.Id, "earlier still"));

        Add(root);

        Assert.Equal(2, Summary(root.Id).Comments);
    }

    [Fact]
    public void Ingest_CommentInAnotherCommunityThanItsParent_RejectedInconsistentAndNothingStored()
    {
        var root = Add(_alice.Post("gardening", "Thread", "body"));
        var count = Store.Count();

        var result = Store.Ingest(_bob.Comment("cooking", root.Id, root.Id, "wrong place").Bytes);

        Assert.Equal(IngestOutcome.Rejected, result.Outcome);
        Assert.Equal(RejectReason.Inconsistent, result.Rejection?.Reason);
        Assert.Equal(count, Store.Count());
        Assert.Equal(0, Summary(root.Id).Comments);
        Assert.Empty(Store.Forum.List(new ListingQuery { Community = "cooking" }));
    }

    [Fact]
    public void Ingest_CommentInAnotherCommunityBeforeItsRoot_NotCountedNorShownWhenTheRootArrives()
    {
        // The order-independent twin of the check above: the root cannot be refused for a comment's lie, so the
        // comment is simply not part of the thread.
        var root = _alice.Post("gardening", "Thread", "body");
        var stray = Add(_bob.Comment("cooking", root.Id, root.Id, "wrong place, early"));
        var good = Add(_bob.Comment("gardening", root.Id, root.Id, "right place, early"));

        Add(root);

        Assert.Equal(1, Summary(root.Id).Comments);
        Assert.Equal([good.Id], Store.Forum.Thread(root.Id)!.Replies.Select(r => r.Id));
        Assert.True(Store.Contains(stray.Id));
    }

    [Fact]
    public void Ingest_CommentNamingAnotherRootThanItsParents_RejectedInconsistent()
    {
        var root = Add(_alice.Post("gardening", "Thread", "body"));
        var reply = Add(_bob.Comment("gardening", root.Id, root.Id, "first"));

        var result = Store.Ingest(_alice.Comment("gardening", reply.Id, FakeId("elsewhere"), "lost").Bytes);

        Assert.Equal(RejectReason.Inconsistent, result.Rejection?.Reason);
        Assert.Equal(2, Store.Count());
    }

    // ---------- retractions ----------

    [Fact]
    public void Ingest_RetractionByAuthor_HidesThePostFromListings()
    {
        var kept = Add(_alice.Post("gardening", "Kept", "body"));
        var gone = Add(_alice.Post("gardening", "Gone", "body"));

        Add(_alice.Retract("gardening", gone.Id));

        var listed = Store.Forum.List(new ListingQuery { Sort = ListingSort.New }).Select(p => p.Id);
        Assert.Equal([kept.Id], listed);
        var thread = Store.Forum.Thread(gone.Id);
        Assert.NotNull(thread);
        Assert.True(thread.Retracted);
        Assert.Null(thread.Body);
    }

    [Fact]
    public void Ingest_RetractionBeforeThePost_HidesItOnArrival()
    {
        var post = _alice.Post("gardening", "Gone", "body");
        Add(_alice.Retract("gardening", post.Id));

        Add(post);

        Assert.Empty(Store.Forum.List(new ListingQuery { Sort = ListingSort.New }));
    }

    [Fact]
    public void Ingest_RetractionOfAComment_DecrementsTheCount()
    {
        var root = Add(_alice.Post("gardening", "Thread", "body"));
        var reply = Add(_bob.Comment("gardening", root.Id, root.Id, "oops"));
        Add(_bob.Comment("gardening", root.Id, root.Id, "fine"));

        Add(_bob.Retract("gardening", reply.Id));

        Assert.Equal(1, Summary(root.Id).Comments);
    }

    [Fact]
    public void Ingest_RetractionOfAStrayComment_LeavesTheCountAlone()
    {
        var root = _alice.Post("gardening", "Thread", "body");
        var stray = Add(_bob.Comment("cooking", root.Id, root.Id, "wrong place, early"));
        Add(_bob.Comment("gardening", root.Id, root.Id, "right place"));
        Add(root);

        Add(_bob.Retract("cooking", stray.Id));

        Assert.Equal(1, Summary(root.Id).Comments);
    }

    [Fact]
    public void Ingest_RetractionBySomeoneElse_RejectedInconsistent()
    {
        var post = Add(_alice.Post("gardening", "Mine", "body"));

        var result = Store.Ingest(_bob.Retract("gardening", post.Id).Bytes);

        Assert.Equal(IngestOutcome.Rejected, result.Outcome);
        Assert.Equal(RejectReason.Inconsistent, result.Rejection?.Reason);
        Assert.Single(Store.Forum.List(new ListingQuery()));
        Assert.Equal(1, Store.Count());
    }

    [Fact]
    public void Ingest_ForeignRetractionBeforeThePost_DoesNotHideItNorBlockTheAuthor()
    {
        // Bob sees Alice's post elsewhere and sends a retraction of it here before the post arrives.
        var post = _alice.Post("gardening", "Mine", "body");
        Add(_bob.Retract("gardening", post.Id));

        Add(post);
        Assert.Single(Store.Forum.List(new ListingQuery()));

        var own = Store.Ingest(_alice.Retract("gardening", post.Id).Bytes);

        Assert.Equal(IngestOutcome.Accepted, own.Outcome);
        Assert.Empty(Store.Forum.List(new ListingQuery()));
    }

    [Fact]
    public void Ingest_SecondRetractionByTheAuthor_RejectedSuperseded()
    {
        var post = Add(_alice.Post("gardening", "Mine", "body"));
        Add(_alice.Retract("gardening", post.Id));
        _t.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(RejectReason.Superseded, Store.Ingest(_alice.Retract("gardening", post.Id).Bytes).Rejection?.Reason);
    }

    // ---------- identities ----------

    [Fact]
    public void Ingest_NewerIdentity_RenamesAndOlderReplayIsSuperseded()
    {
        var first = _alice.Identity("Alice");
        _t.Clock.Advance(TimeSpan.FromMinutes(1));
        var renamed = _alice.Identity("Alice B.", "Now with a bio.");
        Add(first);
        Assert.Equal("Alice", Store.DisplayName(Alice.PublicKey.Span));

        Add(renamed);
        var replay = Store.Ingest(first.Bytes);

        Assert.Equal("Alice B.", Store.DisplayName(Alice.PublicKey.Span));
        Assert.Equal(RejectReason.Superseded, replay.Rejection?.Reason);
        Assert.Equal(1, Store.Count(RecordKind.Identity));
        Assert.False(Store.Contains(first.Id));
    }

    [Fact]
    public void Ingest_Identity_NameShownInListings()
    {
        Add(_alice.Identity("Alice"));
        Add(_alice.Post("gardening", "Hello", "body"));

        Assert.Equal("Alice", Assert.Single(Store.Forum.List(new ListingQuery())).AuthorName);
        Assert.Null(Store.DisplayName(Bob.PublicKey.Span));
    }

    // ---------- other kinds ----------

    [Fact]
    public void Ingest_LabelAndCharter_AreStored()
    {
        var label = Add(_alice.LabelRecord("spam", FakeId("t"), null, "gardening"));
        var charter = Add(_alice.Charter("gardening", "Be kind.", [Alice.PublicKey]));
        _t.Clock.Advance(TimeSpan.FromSeconds(1));
        var newer = Add(_alice.Charter("gardening", "Be kinder.", [Alice.PublicKey]));

        Assert.True(Store.Contains(label.Id));
        Assert.False(Store.Contains(charter.Id));
        Assert.True(Store.Contains(newer.Id));
        Assert.Equal(RejectReason.Superseded, Store.Ingest(charter.Bytes).Rejection?.Reason);
    }

    [Fact]
    public void TryGetRecord_StoredPostDatedAhead_DecodesIt()
    {
        var post = Add(_alice.Post("gardening", "Stored", "body", created: _t.Now + 300));
        _t.Clock.Now = FixedClock.Start - TimeSpan.FromDays(1);

        Assert.True(Store.TryGetRecord(post.Id, out var record));
        Assert.Equal(post.Id, record!.Id);
        Assert.False(Store.TryGetRecord(FakeId("absent"), out _));
    }

    // ---------- pins ----------

    [Fact]
    public void Pin_SeveralReasons_ListedUntilUnpinned()
    {
        var one = FakeId("one");
        var two = FakeId("two");
        Store.Pin(one, PinReason.Own);
        _t.Clock.Advance(TimeSpan.FromSeconds(10));
        Store.Pin(one, PinReason.Upvote);
        Store.Pin(two, PinReason.Manual);
        Store.Pin(one, PinReason.Own); // again: ignored

        Assert.Equal([PinReason.Own, PinReason.Upvote], Store.Pins(one).Select(p => p.Reason));
        Assert.Equal(_t.Now - 10, Store.Pins(one)[0].Since);
        Assert.Equal(3, Store.Pins().Count);
        Assert.Equal(one, Store.Pins()[0].Record);

        Store.Unpin(one, PinReason.Own);
        Assert.Equal([PinReason.Upvote], Store.Pins(one).Select(p => p.Reason));

        Store.Unpin(one);
        Assert.Empty(Store.Pins(one));
        Assert.Single(Store.Pins());
    }

    [Fact]
    public void PinMany_AddsMissingPinsOnce_AndKeepsExistingOnes()
    {
        var one = FakeId("one");
        var two = FakeId("two");
        var three = FakeId("three");
        Store.Pin(one, PinReason.Policy);
        _t.Clock.Advance(TimeSpan.FromSeconds(10));

        var added = Store.PinMany([one, two, three, two], PinReason.Policy);

        Assert.Equal(2, added);
        Assert.Equal(3, Store.Pins().Count);
        Assert.All(Store.Pins(), p => Assert.Equal(PinReason.Policy, p.Reason));
        Assert.Equal(_t.Now - 10, Store.Pins(one)[0].Since);
        Assert.Equal(_t.Now, Store.Pins(three)[0].Since);
        Assert.Equal(0, Store.PinMany([], PinReason.Policy));
    }

    // ---------- settings ----------

    [Fact]
    public void SetSetting_ValueThenNull_SetsThenRemoves()
    {
        Assert.Null(Store.GetSetting("carry.gardening"));

        Store.SetSetting("carry.gardening", "yes");
        Store.SetSetting("carry.gardening", "still");
        Assert.Equal("still", Store.GetSetting("carry.gardening"));

        Store.SetSetting("carry.gardening", null);
        Assert.Null(Store.GetSetting("carry.gardening"));
    }

    [Fact]
    public void ReloadSettings_ChangedByAnotherInstance_SeesTheChange()
    {
        var other = _t.Open();
        other.SetSetting("pow.post", "20");

        Assert.Equal(Work, Store.RequiredWork(RecordKind.Post, "gardening"));
        Store.ReloadSettings();

        Assert.Equal("20", Store.GetSetting("pow.post"));
        Assert.Equal(20, Store.RequiredWork(RecordKind.Post, "gardening"));
    }

    [Fact]
    public void RequiredWork_NoOrBadSetting_UsesTheDefaults()
    {
        Store.SetSetting("pow.post", null);
        Store.SetSetting("pow.identity", "lots");

        Assert.Equal(RecordValidationOptions.DefaultPostDifficulty, Store.RequiredWork(RecordKind.Post, "gardening"));
        Assert.Equal(RecordValidationOptions.DefaultIdentityDifficulty, Store.RequiredWork(RecordKind.Identity, null));
        Assert.Equal(0, Store.RequiredWork(RecordKind.Vote, "gardening"));
    }

    [Fact]
    public void Settings_Persist_AcrossReopen()
    {
        Store.SetSetting("name", "box-1");

        Assert.Equal("box-1", _t.Open().GetSetting("name"));
    }

    // ---------- lookup ----------

    [Fact]
    public void FindByPrefix_PrefixesOfAStoredId_FindIt()
    {
        var post = Add(_alice.Post("gardening", "Find me", "body"));
        Add(_alice.Post("gardening", "Another", "body"));
        var hex = post.Id.ToHex();

        foreach (var length in new[] { 6, 7, 8, 13, 39, 40 })
        {
            Assert.Equal([post.Id], Store.FindByPrefix(hex[..length]));
        }

        Assert.Equal([post.Id], Store.FindByPrefix(hex[..10].ToUpperInvariant()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcde")]    // under 6 characters
    [InlineData("zzzzzzzz")] // not hex
    [InlineData("0000000000000000000000000000000000000000")]
    public void FindByPrefix_NoMatchOrBadPrefix_IsEmpty(string prefix)
    {
        Add(_alice.Post("gardening", "Something", "body"));

        Assert.Empty(Store.FindByPrefix(prefix));
    }

    [Fact]
    public void FindByPrefix_OddLengthWithASmallerSibling_StillFindsTheMatch()
    {
        // Two ids share 6 hex digits and differ in the 7th: "abcdef1..." is asked for, "abcdef0..." sorts before it.
        InsertRawId(Convert.FromHexString("abcdef0000000000000000000000000000000000"));
        InsertRawId(Convert.FromHexString("abcdef1111111111111111111111111111111111"));

        var found = Store.FindByPrefix("abcdef1");

        Assert.Equal([InfoHash.Parse("abcdef1111111111111111111111111111111111")], found);
        Assert.Equal(2, Store.FindByPrefix("abcdef").Count);
    }

    [Fact]
    public void FindByPrefix_32HexDigitsThatAreAlsoBase32_AreReadAsHex()
    {
        // 32 characters drawn from [a-f2-7] also spell a base32 info-hash; a prefix is hex.
        var id = Convert.FromHexString("abcdef2345abcdef2345abcdef2345ab00000000");
        InsertRawId(id);

        Assert.Equal([new InfoHash(id)], Store.FindByPrefix("abcdef2345abcdef2345abcdef2345ab"));
    }

    // ---------- two processes, durability ----------

    [Fact]
    public void Ingest_TwoStoresOnOneFolderConcurrently_StoreEverything()
    {
        var first = Enumerable.Range(0, 200).Select(i => _alice.Post("gardening", $"A{i}", "body").Bytes).ToList();
        var second = Enumerable.Range(0, 200).Select(i => _bob.Vote("gardening", FakeId($"b{i}"), 1).Bytes).ToList();
        var node = _t.Open();
        var cli = _t.Open();
        using var start = new Barrier(2);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();

        void Run(RecordStore store, List<ReadOnlyMemory<byte>> records)
        {
            try
            {
                start.SignalAndWait();
                foreach (var record in records)
                {
                    var result = store.Ingest(record);
                    if (result.Outcome != IngestOutcome.Accepted)
                    {
                        failures.Enqueue($"{result.Outcome}: {result.Rejection}");
                    }
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failures.Enqueue(ex.ToString());
            }
        }

        var threads = new[] { new Thread(() => Run(node, first)), new Thread(() => Run(cli, second)) };
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)));
        }

        Assert.Empty(failures);
        Assert.Equal(400, node.Count());
        Assert.Equal(400, cli.Count());
        Assert.Equal(400, _t.Open().Count());
        Assert.Equal(200, Store.Count(RecordKind.Post));
    }

    [Fact]
    public void Ingest_Accepted_SurvivesDisposeAndReopen()
    {
        var post = _alice.Post("gardening", "Durable", "body");
        var vote = _bob.Vote("gardening", post.Id, 1);
        var folder = _t.Folder;
        using (var store = RecordStore.Open(folder, new StoreOptions { Clock = _t.Clock }))
        {
            store.SetSetting("pow.post", "8");
            Assert.Equal(IngestOutcome.Accepted, store.Ingest(post.Bytes).Outcome);
            Assert.Equal(IngestOutcome.Accepted, store.Ingest(vote.Bytes).Outcome);
        }

        using var reopened = RecordStore.Open(folder, new StoreOptions { Clock = _t.Clock });

        Assert.True(reopened.TryGetBytes(post.Id, out var bytes));
        Assert.Equal(post.Bytes.ToArray(), bytes);
        Assert.Equal(1, Assert.Single(reopened.Forum.List(new ListingQuery())).RawScore);
        Assert.Equal(IngestOutcome.Duplicate, reopened.Ingest(post.Bytes).Outcome);
    }

    [Fact]
    public void Open_DatabaseFromANewerVersion_Throws()
    {
        Store.Read(() =>
        {
            using var command = Store.Command("PRAGMA user_version = 99");
            return command.ExecuteNonQuery();
        });

        Assert.Throws<InvalidOperationException>(() => _t.Open());
    }

    [Fact]
    public void Open_Version1Database_MigratesRetractionsAndKeepsThem()
    {
        var post = _alice.Post("gardening", "Gone", "body");
        var retract = Add(_alice.Retract("gardening", post.Id));
        var folder = _t.Folder;

        // Put the retractions table back in its version 1 shape (one per target), as a box running the first release has it.
        Store.Read(() =>
        {
            using var command = Store.Command("""
                CREATE TABLE retractions_v1(target BLOB PRIMARY KEY, author INTEGER NOT NULL, record BLOB NOT NULL, replacement BLOB) WITHOUT ROWID;
                INSERT INTO retractions_v1 SELECT target, author, record, replacement FROM retractions;
                DROP TABLE retractions;
                ALTER TABLE retractions_v1 RENAME TO retractions;
                """ + TestStore.UndoVersion3 + "PRAGMA user_version = 1;");
            return command.ExecuteNonQuery();
        });

        using var upgraded = RecordStore.Open(folder, new StoreOptions { Clock = _t.Clock });
        upgraded.SetSetting("pow.post", "8");

        Assert.True(upgraded.Contains(retract.Id));
        Assert.Equal(IngestOutcome.Accepted, upgraded.Ingest(post.Bytes).Outcome);
        Assert.Empty(upgraded.Forum.List(new ListingQuery())); // the kept retraction still hides the post
        Assert.Equal(IngestOutcome.Accepted, upgraded.Ingest(_bob.Retract("gardening", FakeId("x")).Bytes).Outcome);
        Assert.Equal(IngestOutcome.Accepted, upgraded.Ingest(_alice.Retract("gardening", FakeId("x")).Bytes).Outcome);
    }

    private long Score(InfoHash post) => Summary(post).RawScore;

    private PostSummary Summary(InfoHash post) =>
        Store.Forum.List(new ListingQuery { Sort = ListingSort.New, Limit = 500 }).Single(p => p.Id == post);

    private T Add<T>(T record)
        where T : SignedRecord => _t.Add(record);

    private void InsertRawId(byte[] id) => Store.Read(() =>
    {
        using var command = Store.Command("""
            INSERT INTO records(id, kind, author, community, created, received, bytes) VALUES($id, 3, 0, NULL, 0, 0, x'00')
            """);
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery();
    });
}
