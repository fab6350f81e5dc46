using Upseed.Metainfo;
using static Upseed.Records.Tests.RecordKit;

namespace Upseed.Records.Tests;

public class RecordFactoryTests
{
    private readonly FixedClock _clock = new();
    private readonly RecordFactory _alice;
    private readonly RecordValidationOptions _options;

    public RecordFactoryTests()
    {
        _alice = Factory(Alice, _clock);
        _options = Options(_clock);
    }

    [Fact]
    public void Identity_NameAndBio_RoundTripsThroughTryParse()
    {
        var made = _alice.Identity("Alice", "Grows tomatoes.\nLikes\ttabs.");

        var parsed = Assert.IsType<IdentityRecord>(Parse(made));

        Assert.Equal("Alice", parsed.Name);
        Assert.Equal("Grows tomatoes.\nLikes\ttabs.", parsed.Bio);
        AssertCommon(made, parsed, RecordKind.Identity);
    }

    [Fact]
    public void Identity_WithoutBio_RoundTripsWithNullBio()
    {
        var parsed = Assert.IsType<IdentityRecord>(Parse(_alice.Identity("Alice")));

        Assert.Null(parsed.Bio);
    }

    [Fact]
    public void Post_TitleAndBody_RoundTripsThroughTryParse()
    {
        var made = _alice.Post("gardening", "First tomatoes", "They are red.\n\nAnd tasty.");

        var parsed = Assert.IsType<PostRecord>(Parse(made));

        Assert.Equal("gardening", parsed.CommunityName);
        Assert.Equal("gardening", parsed.Community);
        Assert.Equal("First tomatoes", parsed.Title);
        Assert.Equal("They are red.\n\nAnd tasty.", parsed.Body);
        Assert.False(parsed.IsComment);
        Assert.Null(parsed.Parent);
        Assert.Null(parsed.Root);
        AssertCommon(made, parsed, RecordKind.Post);
    }

    [Fact]
    public void Post_EmptyBody_IsAccepted()
    {
        var parsed = Assert.IsType<PostRecord>(Parse(_alice.Post("gardening", "Title only", "")));

        Assert.Equal(string.Empty, parsed.Body);
    }

    [Fact]
    public void Comment_ParentAndRoot_RoundTripsWithoutTitle()
    {
        var made = _alice.Comment("gardening", OtherId, SomeId, "Same here.");

        var parsed = Assert.IsType<PostRecord>(Parse(made));

        Assert.True(parsed.IsComment);
        Assert.Null(parsed.Title);
        Assert.Equal(OtherId, parsed.Parent);
        Assert.Equal(SomeId, parsed.Root);
        Assert.Equal("Same here.", parsed.Body);
        Assert.StartsWith("comment-gardening-", parsed.FileName, StringComparison.Ordinal);
        AssertCommon(made, parsed, RecordKind.Post);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(0)] // a withdrawn vote
    public void Vote_Value_RoundTripsThroughTryParse(int value)
    {
        var made = _alice.Vote("gardening", SomeId, value);

        var parsed = Assert.IsType<VoteRecord>(Parse(made));

        Assert.Equal(value, parsed.Value);
        Assert.Equal(SomeId, parsed.Target);
        Assert.Equal("gardening", parsed.CommunityName);
        AssertCommon(made, parsed, RecordKind.Vote);
    }

    [Fact]
    public void Retract_WithReplacement_RoundTripsThroughTryParse()
    {
        var made = _alice.Retract("gardening", SomeId, OtherId);

        var parsed = Assert.IsType<RetractRecord>(Parse(made));

        Assert.Equal(SomeId, parsed.Target);
        Assert.Equal(OtherId, parsed.Replacement);
        AssertCommon(made, parsed, RecordKind.Retract);
    }

    [Fact]
    public void Retract_WithoutReplacement_RoundTripsWithNullReplacement()
    {
        var parsed = Assert.IsType<RetractRecord>(Parse(_alice.Retract("gardening", SomeId)));

        Assert.Null(parsed.Replacement);
    }

    [Fact]
    public void LabelRecord_OnTarget_RoundTripsThroughTryParse()
    {
        var made = _alice.LabelRecord("spam", SomeId, null, "gardening", "Link farm.");

        var parsed = Assert.IsType<LabelRecord>(Parse(made));

        Assert.Equal("spam", parsed.Label);
        Assert.Equal(SomeId, parsed.Target);
        Assert.Null(parsed.Subject);
        Assert.Equal("gardening", parsed.CommunityName);
        Assert.Equal("Link farm.", parsed.Reason);
        AssertCommon(made, parsed, RecordKind.Label);
    }

    [Fact]
    public void LabelRecord_OnSubjectWithoutCommunity_RoundTripsThroughTryParse()
    {
        var made = _alice.LabelRecord("off-topic", null, Bob.PublicKey);

        var parsed = Assert.IsType<LabelRecord>(Parse(made));

        Assert.Null(parsed.Target);
        Assert.Null(parsed.CommunityName);
        Assert.True(parsed.Subject.HasValue);
        Assert.Equal(Bob.PublicKey.ToArray(), parsed.Subject.Value.ToArray());
        AssertCommon(made, parsed, RecordKind.Label);
    }

    [Fact]
    public void Charter_AllFields_RoundTripsThroughTryParse()
    {
        var made = _alice.Charter("gardening", "Be kind.\nNo spam.", [Alice.PublicKey, Bob.PublicKey], "Gardening", 12);

        var parsed = Assert.IsType<CharterRecord>(Parse(made));

        Assert.Equal("gardening", parsed.CommunityName);
        Assert.Equal("Gardening", parsed.Title);
        Assert.Equal("Be kind.\nNo spam.", parsed.Rules);
        Assert.Equal(12, parsed.PostDifficulty);
        Assert.Equal([Alice.PublicKey.ToArray(), Bob.PublicKey.ToArray()], parsed.Moderators.Select(m => m.ToArray()));
        AssertCommon(made, parsed, RecordKind.Charter);
    }

    [Fact]
    public void Post_WithoutCreated_UsesTheClock()
    {
        _clock.Advance(TimeSpan.FromHours(5));

        var made = _alice.Post("gardening", "Now", "body");

        Assert.Equal(_clock.UnixNow, made.Created);
    }

    [Fact]
    public void Post_SameInputsTwice_GivesIdenticalBytesAndId()
    {
        // Ed25519 signatures are deterministic (RFC 8032), and the proof of work is the first nonce that meets it.
        var first = _alice.Post("gardening", "Same", "Same body");
        var second = Factory(Alice, new FixedClock())
            .Post("gardening", "Same", "Same body");

        Assert.Equal(first.Bytes.ToArray(), second.Bytes.ToArray());
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.FileName, second.FileName);
    }

    [Fact]
    public void Post_DifferentAuthorsSameText_GetDifferentIds()
    {
        var fromAlice = _alice.Post("gardening", "Same", "Same body");
        var fromBob = Factory(Bob, _clock).Post("gardening", "Same", "Same body");

        Assert.NotEqual(fromAlice.Id, fromBob.Id);
    }

    [Fact]
    public void Post_WithWork_MeetsTheRequiredDifficulty()
    {
        var made = Factory(Alice, _clock, work: 12).Post("gardening", "Costly", "body");

        Assert.True(RecordCodec.TryParse(made.Bytes, Options(_clock, 12), out _, out var rejection), rejection?.ToString());
    }

    [Fact]
    public void Post_WorkStarting_IsToldTheDifficulty()
    {
        var told = new List<int>();
        var factory = new RecordFactory(Alice, Options(_clock)) { WorkStarting = told.Add };

        factory.Post("gardening", "Title", "body");
        factory.Vote("gardening", SomeId, 1);

        Assert.Equal([Work], told);
    }

    [Theory]
    [InlineData("Two\nlines", "")]         // newline in a title
    [InlineData("Bell\u0007", "")]         // C0 control
    [InlineData("Title", "nul \0 byte")]   // binary in the body
    [InlineData("Title", "csi \u009B")]    // C1 control
    [InlineData("Title", "evil \u202Etxt")] // bidi override
    public void Post_ForbiddenText_ThrowsWithInvalidText(string title, string body)
    {
        var ex = Assert.Throws<RecordRejectedException>(() => _alice.Post("gardening", title, body));

        Assert.Equal(RejectReason.InvalidText, ex.Rejection.Reason);
        Assert.False(string.IsNullOrWhiteSpace(ex.Rejection.Message));
    }

    [Fact]
    public void Post_TitleOver300Bytes_ThrowsWithFieldTooLong()
    {
        var ex = Assert.Throws<RecordRejectedException>(() => _alice.Post("gardening", new string('t', 301), "body"));

        Assert.Equal(RejectReason.FieldTooLong, ex.Rejection.Reason);
    }

    [Fact]
    public void Post_BadCommunityName_ThrowsWithInvalidField()
    {
        var ex = Assert.Throws<RecordRejectedException>(() => _alice.Post("Gardening!", "Title", "body"));

        Assert.Equal(RejectReason.InvalidField, ex.Rejection.Reason);
    }

    [Fact]
    public void Vote_ValueTwo_ThrowsWithInvalidField()
    {
        var ex = Assert.Throws<RecordRejectedException>(() => _alice.Vote("gardening", SomeId, 2));

        Assert.Equal(RejectReason.InvalidField, ex.Rejection.Reason);
    }

    private SignedRecord Parse(SignedRecord made)
    {
        // A fresh array: nothing may depend on the factory's buffers.
        var copy = made.Bytes.ToArray();
        Assert.True(RecordCodec.TryParse(copy, _options, out var parsed, out var rejection), rejection?.ToString());
        Assert.Null(rejection);
        return parsed;
    }

    private void AssertCommon(SignedRecord made, SignedRecord parsed, RecordKind kind)
    {
        Assert.Equal(kind, made.Kind);
        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(made.Id, parsed.Id);
        Assert.Equal(made.Bytes.ToArray(), parsed.Bytes.ToArray());
        Assert.Equal(Alice.PublicKey.ToArray(), parsed.Author.ToArray());
        Assert.Equal(Alice.PublicKeyHex, parsed.AuthorHex);
        Assert.Equal(_clock.UnixNow, parsed.Created);
        Assert.Equal(made.FileName, parsed.FileName);

        // The id is the info-hash of the record's single-file torrent (DESIGN.md, "Posts are torrents").
        Assert.Equal(SingleFileTorrent.ComputeInfoHash(parsed.FileName, parsed.Bytes.Span), parsed.Id);
        Assert.True(parsed.FileName.All(char.IsAscii), parsed.FileName);
        Assert.EndsWith(RecordFileName.Extension, parsed.FileName, StringComparison.Ordinal);
        Assert.Equal(RecordFileName.For(kind, Alice.PublicKey.Span, parsed.Created, parsed.Community, TitleOf(parsed)), parsed.FileName);
    }

    private static string? TitleOf(SignedRecord record) => record switch
    {
        IdentityRecord identity => identity.Name,
        PostRecord post => post.Title,
        LabelRecord label => label.Label,
        _ => null,
    };
}
