using System.Text;
using Upseed.Bencode;
using Upseed.Crypto;
using static Upseed.Records.Tests.RecordKit;

namespace Upseed.Records.Tests;

public class RecordCodecTests
{
    private readonly FixedClock _clock = new();
    private readonly RecordFactory _alice;
    private readonly RecordValidationOptions _options;

    public RecordCodecTests()
    {
        _alice = Factory(Alice, _clock);
        _options = Options(_clock);
    }

    private long Now => _clock.UnixNow;

    [Fact]
    public void TryParse_HandMadePost_IsAccepted()
    {
        // The control for every hand-made case below: the kit itself makes valid records.
        var bytes = Seal(PostDraft(Alice, Now), Alice, withWork: true);

        Assert.True(RecordCodec.TryParse(bytes, _options, out var record, out var rejection), rejection?.ToString());
        Assert.Equal(bytes, Assert.IsType<PostRecord>(record).Bytes.ToArray());
    }

    [Fact]
    public void TryParse_HandMadeVote_IsAccepted()
    {
        var bytes = Seal(VoteDraft(Alice, Now), Alice);

        Assert.True(RecordCodec.TryParse(bytes, _options, out _, out var rejection), rejection?.ToString());
    }

    [Fact]
    public void TryParse_IdenticalBytesInTwoBuffers_GiveIdenticalIds()
    {
        var bytes = _alice.Post("gardening", "Same", "bytes").Bytes.ToArray();

        Assert.True(RecordCodec.TryParse(bytes.ToArray(), _options, out var first, out _));
        Assert.True(RecordCodec.TryParse(bytes.ToArray(), _options, out var second, out _));

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.FileName, second.FileName);
    }

    // ---------- bytes ----------

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(100)]
    public void TryParse_Truncated_RejectsMalformed(int cut)
    {
        var bytes = _alice.Post("gardening", "Title", "Body").Bytes.ToArray();

        AssertRejected(bytes[..^cut], RejectReason.Malformed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("i42e")]     // not a dictionary
    [InlineData("l4:spame")] // not a dictionary
    [InlineData("x")]
    public void TryParse_NotARecordDictionary_RejectsMalformed(string text)
    {
        AssertRejected(Encoding.ASCII.GetBytes(text), RejectReason.Malformed);
    }

    [Theory]
    [InlineData(64 * 1024)] // one past the cap
    [InlineData((64 * 1024) + 1)]
    [InlineData(100_000)]
    public void TryParse_OverSizeCap_RejectsTooLarge(int size)
    {
        // A well-formed start, then padding inside the body: the size alone is wrong.
        var bytes = Seal(PostDraft(Alice, Now, body: new string('a', size)), Alice, withWork: true);

        Assert.True(bytes.Length > RecordLimits.MaxRecordSize);
        AssertRejected(bytes, RejectReason.TooLarge);
    }

    [Fact]
    public void TryParse_UnsortedKeys_RejectsNonCanonical()
    {
        var valid = _alice.Vote("gardening", SomeId, 1).Bytes;
        var entries = ((BDictionary)BencodeDecoder.Decode(valid)).Entries.Reverse();

        AssertRejected(EncodeInOrder(entries), RejectReason.NonCanonical);
    }

    [Fact]
    public void TryParse_DuplicateKey_RejectsNonCanonical()
    {
        var valid = _alice.Vote("gardening", SomeId, 1).Bytes;
        var entries = ((BDictionary)BencodeDecoder.Decode(valid)).Entries;

        AssertRejected(EncodeInOrder([entries[0], .. entries]), RejectReason.NonCanonical);
    }

    [Fact]
    public void TryParse_LeadingZeroInLength_RejectsNonCanonical()
    {
        var valid = _alice.Post("gardening", "Title", "Body").Bytes.ToArray();

        AssertRejected(Replace(valid, "4:body", "04:body"), RejectReason.NonCanonical);
    }

    [Fact]
    public void TryParse_LeadingZeroInInteger_RejectsNonCanonical()
    {
        var valid = _alice.Vote("gardening", SomeId, 1).Bytes.ToArray();

        AssertRejected(Replace(valid, "5:valuei1e", "5:valuei01e"), RejectReason.NonCanonical);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("i0e")]
    [InlineData("de")]
    public void TryParse_TrailingBytes_RejectsNonCanonical(string trailer)
    {
        var valid = _alice.Vote("gardening", SomeId, 1).Bytes.ToArray();

        AssertRejected([.. valid, .. Encoding.ASCII.GetBytes(trailer)], RejectReason.NonCanonical);
    }

    // ---------- signature and work ----------

    [Fact]
    public void TryParse_BodyChangedAfterSigning_RejectsBadSignature()
    {
        var valid = _alice.Post("gardening", "Title", "Body text").Bytes;
        var dict = Copy(valid);
        var body = Encoding.UTF8.GetBytes("Body text");
        body[0] ^= 1; // 'B' -> 'C': still text, still canonical
        dict.Set("body", (ReadOnlyMemory<byte>)body);

        AssertRejected(dict.Encode(), RejectReason.BadSignature);
    }

    [Fact]
    public void TryParse_SignedByAnotherKey_RejectsBadSignature()
    {
        // Alice's key in "author", Bob's signature.
        AssertRejected(Seal(VoteDraft(Alice, Now), Bob), RejectReason.BadSignature);
    }

    [Fact]
    public void TryParse_SignedWithoutDomainPrefix_RejectsBadSignature()
    {
        var dict = VoteDraft(Alice, Now);
        dict.Set("sig", Alice.Sign(dict.Encode()));

        AssertRejected(dict.Encode(), RejectReason.BadSignature);
    }

    [Fact]
    public void TryParse_MadeAtDifficultyZeroCheckedAt16_RejectsInsufficientWork()
    {
        var cheap = Factory(Alice, _clock, work: 0).Post("gardening", "Cheap", "post");
        Assert.True(RecordCodec.TryParse(cheap.Bytes, Options(_clock, 0), out _, out _));

        Assert.False(RecordCodec.TryParse(cheap.Bytes, Options(_clock, 16), out var record, out var rejection));

        Assert.Null(record);
        Assert.Equal(RejectReason.InsufficientWork, rejection.Reason);
        Assert.Contains("16", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_IdentityWithoutEnoughWork_RejectsInsufficientWork()
    {
        var cheap = Factory(Alice, _clock, work: 0).Identity("Alice");

        var options = new RecordValidationOptions { Clock = _clock, RequiredWork = (k, _) => k == RecordKind.Identity ? 16 : 0 };

        Assert.False(RecordCodec.TryParse(cheap.Bytes, options, out _, out var rejection));
        Assert.Equal(RejectReason.InsufficientWork, rejection.Reason);
    }

    [Fact]
    public void TryParse_WorkNonceChangedAfterSigning_RejectsBadSignature()
    {
        var dict = Copy(_alice.Post("gardening", "Title", "Body").Bytes);
        dict.TryGetValue("pow", out var pow);
        dict.Set("pow", ((BInteger)pow!).Value + 1);

        AssertRejected(dict.Encode(), RejectReason.BadSignature);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(-2L)]
    [InlineData(long.MinValue)]
    public void TryParse_NegativeWorkNonce_RejectsInvalidField(long nonce)
    {
        // A nonce is unsigned. If "-1", "-2"... were all read as nonce 0, one solved challenge would yield any
        // number of distinct records (distinct ids) for the price of one.
        var dict = PostDraft(Alice, Now).Set("pow", nonce);

        AssertRejected(Seal(dict, Alice), RejectReason.InvalidField, Options(_clock, 0));
    }

    // ---------- text ----------

    [Theory]
    [InlineData(new byte[] { 0x00 })]             // NUL
    [InlineData(new byte[] { 0xFF })]             // never valid in UTF-8
    [InlineData(new byte[] { 0xC0, 0xAF })]       // overlong '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a UTF-16 surrogate encoded
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })] // a PNG header
    public void TryParse_BinaryInBody_RejectsInvalidText(byte[] binary)
    {
        byte[] body = [.. "before "u8, .. binary, .. " after"u8];
        var dict = PostDraft(Alice, Now).Set("body", (ReadOnlyMemory<byte>)body);

        AssertRejected(Seal(dict, Alice, withWork: true), RejectReason.InvalidText);
    }

    [Theory]
    [InlineData("\u0007")] // BEL, C0
    [InlineData("\u001B[31m")] // ESC, a terminal colour sequence
    [InlineData("\r")]     // carriage return: only newline and tab are allowed
    [InlineData("\u007F")] // DEL
    [InlineData("\u0085")] // NEL, C1
    [InlineData("\u009B")] // CSI, C1
    [InlineData("\u202E")] // RIGHT-TO-LEFT OVERRIDE
    [InlineData("\u2066")] // LEFT-TO-RIGHT ISOLATE
    public void TryParse_ControlCharacterInBody_RejectsInvalidText(string control)
    {
        var dict = PostDraft(Alice, Now, body: "text " + control + " text");

        AssertRejected(Seal(dict, Alice, withWork: true), RejectReason.InvalidText);
    }

    [Theory]
    [InlineData("two\nlines")]
    [InlineData("tab\there")]
    [InlineData("\u202Egnp.exe")]
    public void TryParse_NewlineTabOrOverrideInTitle_RejectsInvalidText(string title)
    {
        AssertRejected(Seal(PostDraft(Alice, Now, title: title), Alice, withWork: true), RejectReason.InvalidText);
    }

    [Fact]
    public void TryParse_NewlineAndTabInBody_AreAccepted()
    {
        var bytes = Seal(PostDraft(Alice, Now, body: "line one\n\tindented\n"), Alice, withWork: true);

        Assert.True(RecordCodec.TryParse(bytes, _options, out var record, out var rejection), rejection?.ToString());
        Assert.Equal("line one\n\tindented\n", ((PostRecord)record).Body);
    }

    [Fact]
    public void TryParse_NonAsciiText_IsAcceptedAndFileNameStaysAscii()
    {
        var bytes = Seal(PostDraft(Alice, Now, title: "Première tomate 🍅 日本", body: "Ça pousse. 🌱"), Alice, withWork: true);

        Assert.True(RecordCodec.TryParse(bytes, _options, out var record, out var rejection), rejection?.ToString());
        Assert.Equal("Première tomate 🍅 日本", ((PostRecord)record).Title);
        Assert.True(record.FileName.All(char.IsAscii), record.FileName);
        Assert.Contains("premi-re-tomate", record.FileName, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Title300Bytes_IsAccepted()
    {
        // 100 three-byte characters: the cap is in UTF-8 bytes, not characters.
        var title = new string('€', 100);

        var bytes = Seal(PostDraft(Alice, Now, title: title), Alice, withWork: true);

        Assert.True(RecordCodec.TryParse(bytes, _options, out _, out var rejection), rejection?.ToString());
    }

    [Theory]
    [InlineData(301)]
    [InlineData(5000)]
    public void TryParse_TitleOverCap_RejectsFieldTooLong(int bytes)
    {
        AssertRejected(Seal(PostDraft(Alice, Now, title: new string('t', bytes)), Alice, withWork: true), RejectReason.FieldTooLong);
    }

    [Fact]
    public void TryParse_BodyOverCap_RejectsFieldTooLong()
    {
        var body = new string('b', RecordLimits.MaxBodyBytes + 1);

        AssertRejected(Seal(PostDraft(Alice, Now, body: body), Alice, withWork: true), RejectReason.FieldTooLong);
    }

    [Fact]
    public void TryParse_NameOverCap_RejectsFieldTooLong()
    {
        var dict = Draft("identity", Alice, Now).Set("name", new string('n', RecordLimits.MaxNameBytes + 1));

        AssertRejected(Seal(dict, Alice, withWork: true), RejectReason.FieldTooLong);
    }

    // ---------- time ----------

    [Theory]
    [InlineData(11 * 60)]
    [InlineData((10 * 60) + 1)]
    [InlineData(365L * 86_400)]
    [InlineData(253_402_300_800L)] // past year 9999
    [InlineData(long.MaxValue)]
    public void TryParse_DatedTooFarAhead_RejectsFutureTimestamp(long ahead)
    {
        var created = ahead > long.MaxValue - Now ? long.MaxValue : Now + ahead;

        AssertRejected(Seal(VoteDraft(Alice, created), Alice), RejectReason.FutureTimestamp);
    }

    [Theory]
    [InlineData(9 * 60)]
    [InlineData(10 * 60)] // exactly the allowed skew
    [InlineData(0)]
    [InlineData(-365L * 86_400)]
    public void TryParse_DatedWithinSkew_IsAccepted(long ahead)
    {
        var bytes = Seal(PostDraft(Alice, Now + ahead), Alice, withWork: true);

        Assert.True(RecordCodec.TryParse(bytes, _options, out var record, out var rejection), rejection?.ToString());
        Assert.Equal(Now + ahead, record.Created);
    }

    [Fact]
    public void TryParse_FutureRecordOnceTheClockCatchesUp_IsAccepted()
    {
        var bytes = Seal(VoteDraft(Alice, Now + 3600), Alice);
        AssertRejected(bytes, RejectReason.FutureTimestamp);

        _clock.Advance(TimeSpan.FromMinutes(50));

        Assert.True(RecordCodec.TryParse(bytes, _options, out _, out var rejection), rejection?.ToString());
    }

    [Fact]
    public void TryParse_NegativeCreated_RejectsInvalidField()
    {
        AssertRejected(Seal(VoteDraft(Alice, -1), Alice), RejectReason.InvalidField);
    }

    [Fact]
    public void TryDecode_HugeFutureSkew_DoesNotOverflow()
    {
        // Readers of stored records turn the future check off with a huge skew; DateTimeOffset must not overflow.
        var bytes = Seal(VoteDraft(Alice, Now + 86_400), Alice);
        var options = _options with { MaxFutureSkew = TimeSpan.MaxValue / 2 };

        Assert.True(RecordCodec.TryDecode(bytes, options, out _, out var rejection), rejection?.ToString());
        Assert.True(RecordCodec.TryDecode(bytes, _options with { MaxFutureSkew = TimeSpan.MaxValue }, out _, out _));
    }

    // ---------- structure ----------

    [Theory]
    [InlineData("poll")]
    [InlineData("Post")] // kinds are lowercase
    [InlineData("")]
    public void TryParse_UnknownKind_RejectsUnknownKind(string kind)
    {
        var dict = Draft("x", Alice, Now).Set("kind", kind).Set("community", "gardening");

        var bytes = Seal(dict, Alice);

        AssertRejected(bytes, kind.Length == 0 ? RejectReason.InvalidField : RejectReason.UnknownKind);
    }

    [Theory]
    [InlineData("zzz")]
    [InlineData("name")]   // a field of another kind
    [InlineData("target")]
    public void TryParse_UnexpectedFieldInPost_RejectsUnexpectedField(string field)
    {
        var dict = PostDraft(Alice, Now).Set(field, "x");

        AssertRejected(Seal(dict, Alice, withWork: true), RejectReason.UnexpectedField);
    }

    [Fact]
    public void TryParse_WorkOnVote_RejectsUnexpectedField()
    {
        AssertRejected(Seal(VoteDraft(Alice, Now), Alice, withWork: true), RejectReason.UnexpectedField);
    }

    [Theory]
    [InlineData("body")]
    [InlineData("community")]
    [InlineData("author")]
    [InlineData("created")]
    [InlineData("kind")]
    [InlineData("v")]
    public void TryParse_MissingFieldInPost_RejectsMissingField(string field)
    {
        var source = PostDraft(Alice, Now);
        var dict = new BDictionary();
        foreach (var (key, value) in source.Entries.Where(e => Encoding.ASCII.GetString(e.Key) != field))
        {
            dict.Set(key, value);
        }

        AssertRejected(Seal(dict, Alice, withWork: true), RejectReason.MissingField);
    }

    [Fact]
    public void TryParse_MissingSignature_RejectsMissingField()
    {
        AssertRejected(VoteDraft(Alice, Now).Encode(), RejectReason.MissingField);
    }

    [Fact]
    public void TryParse_MissingWork_RejectsMissingField()
    {
        AssertRejected(Seal(PostDraft(Alice, Now), Alice, withWork: false), RejectReason.MissingField);
    }

    [Theory]
    [InlineData("target")]
    [InlineData("value")]
    public void TryParse_MissingFieldInVote_RejectsMissingField(string field)
    {
        var dict = Draft("vote", Alice, Now).Set("community", "gardening");
        if (field != "target")
        {
            dict.Set("target", SomeId.ToArray());
        }

        if (field != "value")
        {
            dict.Set("value", 1);
        }

        AssertRejected(Seal(dict, Alice), RejectReason.MissingField);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(-1)]
    public void TryParse_WrongVersion_RejectsUnsupportedVersion(long version)
    {
        var dict = VoteDraft(Alice, Now).Set("v", version);

        AssertRejected(Seal(dict, Alice), RejectReason.UnsupportedVersion);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-2)]
    [InlineData(long.MaxValue)]
    public void TryParse_VoteValueOutOfRange_RejectsInvalidField(long value)
    {
        AssertRejected(Seal(VoteDraft(Alice, Now, value), Alice), RejectReason.InvalidField);
    }

    [Fact]
    public void TryParse_TargetNot20Bytes_RejectsInvalidField()
    {
        var dict = VoteDraft(Alice, Now).Set("target", new byte[19]);

        AssertRejected(Seal(dict, Alice), RejectReason.InvalidField);
    }

    [Fact]
    public void TryParse_AuthorNot32Bytes_RejectsInvalidField()
    {
        var dict = VoteDraft(Alice, Now).Set("author", new byte[31]);

        AssertRejected(Seal(dict, Alice), RejectReason.InvalidField);
    }

    [Fact]
    public void TryParse_TextFieldAsInteger_RejectsInvalidField()
    {
        var dict = PostDraft(Alice, Now).Set("title", 42);

        AssertRejected(Seal(dict, Alice, withWork: true), RejectReason.InvalidField);
    }

    [Fact]
    public void TryParse_CommentWithTitle_RejectsUnexpectedField()
    {
        var dict = PostDraft(Alice, Now).Set("parent", SomeId.ToArray()).Set("root", SomeId.ToArray());

        AssertRejected(Seal(dict, Alice, withWork: true), RejectReason.UnexpectedField);
    }

    [Fact]
    public void TryParse_PostWithoutTitle_RejectsMissingField()
    {
        var dict = Draft("post", Alice, Now).Set("community", "gardening").Set("body", "No title.");

        AssertRejected(Seal(dict, Alice, withWork: true), RejectReason.MissingField);
    }

    [Fact]
    public void TryParse_CommentWithParentButNoRoot_RejectsInvalidField()
    {
        var dict = Draft("post", Alice, Now).Set("community", "gardening").Set("body", "reply").Set("parent", SomeId.ToArray());

        AssertRejected(Seal(dict, Alice, withWork: true), RejectReason.InvalidField);
    }

    [Fact]
    public void TryParse_CommentWithEmptyBody_RejectsInvalidField()
    {
        var dict = Draft("post", Alice, Now).Set("community", "gardening").Set("body", "")
            .Set("parent", SomeId.ToArray()).Set("root", SomeId.ToArray());

        AssertRejected(Seal(dict, Alice, withWork: true), RejectReason.InvalidField);
    }

    [Fact]
    public void TryParse_LabelWithTargetAndSubject_RejectsInvalidField()
    {
        var dict = Draft("label", Alice, Now).Set("label", "spam").Set("target", SomeId.ToArray()).Set("subject", Bob.PublicKey);

        AssertRejected(Seal(dict, Alice), RejectReason.InvalidField);
    }

    [Fact]
    public void TryParse_LabelWithNeitherTargetNorSubject_RejectsInvalidField()
    {
        var dict = Draft("label", Alice, Now).Set("label", "spam");

        AssertRejected(Seal(dict, Alice), RejectReason.InvalidField);
    }

    [Theory]
    [InlineData("Spam")]
    [InlineData("-spam")]
    [InlineData("spam!")]
    public void TryParse_BadLabelName_RejectsInvalidField(string label)
    {
        var dict = Draft("label", Alice, Now).Set("label", label).Set("target", SomeId.ToArray());

        AssertRejected(Seal(dict, Alice), RejectReason.InvalidField);
    }

    [Theory]
    [InlineData("Gardening")]
    [InlineData("-gardening")]
    [InlineData("gar dening")]
    [InlineData("jardín")]
    public void TryParse_BadCommunityName_RejectsInvalidField(string community)
    {
        var dict = VoteDraft(Alice, Now).Set("community", community);

        AssertRejected(Seal(dict, Alice), RejectReason.InvalidField);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(ProofOfWork.MaxDifficulty + 1)]
    public void TryParse_CharterDifficultyOutOfRange_RejectsInvalidField(long difficulty)
    {
        var dict = Draft("charter", Alice, Now).Set("community", "gardening").Set("rules", "")
            .Set("moderators", new BList()).Set("difficulty", difficulty);

        AssertRejected(Seal(dict, Alice), RejectReason.InvalidField);
    }

    [Fact]
    public void TryParse_CharterModeratorNotAKey_RejectsInvalidField()
    {
        var dict = Draft("charter", Alice, Now).Set("community", "gardening").Set("rules", "")
            .Set("moderators", new BList(new BString(new byte[31])));

        AssertRejected(Seal(dict, Alice), RejectReason.InvalidField);
    }

    [Fact]
    public void TryParse_NestedTooDeep_RejectsMalformed()
    {
        var dict = Draft("charter", Alice, Now).Set("community", "gardening").Set("rules", "")
            .Set("moderators", new BList(new BList()));

        AssertRejected(Seal(dict, Alice), RejectReason.Malformed);
    }

    [Fact]
    public void RecordRejection_Code_IsKebabCase()
    {
        Assert.Equal("bad-signature", RecordRejection.ToCode(RejectReason.BadSignature));
        Assert.Equal("future-timestamp", new RecordRejection(RejectReason.FutureTimestamp, "x").Code);
        Assert.Equal("malformed: cut short", new RecordRejection(RejectReason.Malformed, "cut short").ToString());
    }

    private void AssertRejected(byte[] bytes, RejectReason expected, RecordValidationOptions? options = null)
    {
        options ??= _options;
        var accepted = RecordCodec.TryParse(bytes, options, out var record, out var rejection);

        Assert.False(accepted, $"accepted {Encoding.UTF8.GetString(bytes)}");
        Assert.Null(record);
        Assert.NotNull(rejection);
        Assert.Equal(expected, rejection.Reason);
        Assert.False(string.IsNullOrWhiteSpace(rejection.Message));
        Assert.DoesNotContain("{", rejection.Message, StringComparison.Ordinal);
    }

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        var fromBytes = Encoding.ASCII.GetBytes(from);
        var at = bytes.AsSpan().IndexOf(fromBytes);
        Assert.True(at >= 0, $"'{from}' not found");
        return [.. bytes[..at], .. Encoding.ASCII.GetBytes(to), .. bytes[(at + fromBytes.Length)..]];
    }
}
