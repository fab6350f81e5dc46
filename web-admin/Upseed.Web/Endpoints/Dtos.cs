namespace Upseed.Web;

// Request and response shapes of the API (and what the pages render). None of them is a store row: the board maps
// PostSummary/ThreadNode into these, with hex ids and keys, the viewer's vote, and this box's seeding state.

/// <summary>A post in a listing. <c>Seeders</c> is null until the store counts them (relay node work).</summary>
internal sealed record PostDto(
    string Id, string Community, string? Title, string Author, string? AuthorName, long Score, int? Seeders,
    long Comments, long Created, bool Seeding, int MyVote, string Magnet);

internal sealed record ListingDto(
    IReadOnlyList<PostDto> Posts, string Sort, string? Period, string? Community, string? Query, int Page, bool HasMore);

internal sealed record CommentDto(
    string Id, string? Body, string Author, string? AuthorName, long Score, long Created, bool Retracted, int MyVote,
    IReadOnlyList<CommentDto> Replies);

/// <summary>A post (or a comment, then <c>Post.Title</c> is null and <c>RootId</c> names the thread) with its comments.</summary>
internal sealed record ThreadDto(PostDto Post, string? Body, bool Retracted, string? ParentId, string? RootId, int CommentCount, IReadOnlyList<CommentDto> Comments);

internal sealed record CommunityDto(string Name, long Posts);

internal sealed record NewPostRequest(string? Community, string? Title, string? Body);

internal sealed record NewCommentRequest(string? Body);

internal sealed record CreatedDto(string Id, string Url);

/// <summary>+1 (upvote: this box seeds the post), -1 (downvote: it stops), 0 (withdraw).</summary>
internal sealed record VoteRequest(int Value);

internal sealed record VoteResultDto(string Target, int Value, long Score, bool Seeding);

internal sealed record IdentityDto(string PublicKey, string? Name, bool Current);

internal sealed record CreateIdentityRequest(string? Name, string? Passphrase, string? Bio);

internal sealed record UnlockRequest(string? PublicKey, string? Passphrase);

internal sealed record MeDto(string? PublicKey, string? Name, bool Admin, bool AdminSetUp);

internal sealed record CsrfDto(string Token, string Header, string FormField);

internal sealed record SetupRequest(string? Code, string? Password);

internal sealed record LoginRequest(string? Password);

internal sealed record ChangePasswordRequest(string? Current, string? Next);

internal sealed record AdminStatusDto(
    string Version, long Records, long Posts, long Identities, long Pins, long DiskBytes, int AdminSessions,
    int MemberSessions, int MemberIdentities, int Hidden, IReadOnlyDictionary<string, double> Node,
    IReadOnlyList<FeatureSlotDto> Slots);

/// <summary>A part of the box the dashboard has a place for: whether it is there yet, and what it says.</summary>
internal sealed record FeatureSlotDto(string Name, bool Available, string Status);

internal sealed record MetricSeriesDto(string Name, IReadOnlyList<long> Times, IReadOnlyList<double> Values);

internal sealed record LogEntryDto(long Time, string Level, string Category, string Message);

internal sealed record HiddenDto(string Kind, string Key, long Since, string Reason);

internal sealed record HideRequest(string? Kind, string? Key, string? Reason);

internal sealed record SettingDto(string Key, string Value, bool Editable, string Meaning);

internal sealed record SettingUpdateRequest(string? Key, string? Value);
