using Upseed.Metainfo;

namespace Upseed.Records;

/// <summary>
/// A record that passed validation: its canonical signed bytes, its id (the info-hash of its torrent) and the fields
/// common to every kind. Instances are immutable and hold no I/O.
/// </summary>
public abstract record SignedRecord
{
    /// <summary>The info-hash of the single-file torrent whose file is <see cref="Bytes"/>.</summary>
    public required InfoHash Id { get; init; }

    /// <summary>The canonical bencoded record, signature included: exactly what travels and is stored.</summary>
    public required ReadOnlyMemory<byte> Bytes { get; init; }

    /// <summary>The author's Ed25519 public key (32 bytes).</summary>
    public required ReadOnlyMemory<byte> Author { get; init; }

    /// <summary>Creation time claimed by the author, unix seconds.</summary>
    public required long Created { get; init; }

    /// <summary>The torrent's file name: deterministic, readable, derived from the record alone.</summary>
    public required string FileName { get; init; }

    public abstract RecordKind Kind { get; }

    /// <summary>The community this record belongs to, when it belongs to one.</summary>
    public virtual string? Community => null;

    public string AuthorHex => Convert.ToHexStringLower(Author.Span);

    /// <summary>Where the signature entry lies in <see cref="Bytes"/>, found while decoding.</summary>
    internal RecordCodec.Entry SignatureEntry { get; init; }

    /// <summary>Where the proof-of-work entry lies in <see cref="Bytes"/>, when there is one.</summary>
    internal RecordCodec.Entry WorkEntry { get; init; }
}

/// <summary>A public key's display name and bio, with proof of work.</summary>
public sealed record IdentityRecord : SignedRecord
{
    public required string Name { get; init; }

    public string? Bio { get; init; }

    public override RecordKind Kind => RecordKind.Identity;
}

/// <summary>A post, or a comment when <see cref="Parent"/> is set (then <see cref="Root"/> names the thread's post).</summary>
public sealed record PostRecord : SignedRecord
{
    public required string CommunityName { get; init; }

    /// <summary>The title of a top-level post; comments have none.</summary>
    public string? Title { get; init; }

    public required string Body { get; init; }

    public InfoHash? Parent { get; init; }

    public InfoHash? Root { get; init; }

    public bool IsComment => Parent.HasValue;

    public override string? Community => CommunityName;

    public override RecordKind Kind => RecordKind.Post;
}

/// <summary>A vote on a record: +1, -1, or 0 for a withdrawn vote. The latest vote per voter per target counts.</summary>
public sealed record VoteRecord : SignedRecord
{
    public required string CommunityName { get; init; }

    public required InfoHash Target { get; init; }

    public required int Value { get; init; }

    public override string? Community => CommunityName;

    public override RecordKind Kind => RecordKind.Vote;
}

/// <summary>The author withdraws an earlier record of theirs, or replaces it (an edit) with <see cref="Replacement"/>.</summary>
public sealed record RetractRecord : SignedRecord
{
    public required string CommunityName { get; init; }

    public required InfoHash Target { get; init; }

    public InfoHash? Replacement { get; init; }

    public override string? Community => CommunityName;

    public override RecordKind Kind => RecordKind.Retract;
}

/// <summary>A moderator's verdict on a record (<see cref="Target"/>) or on an author (<see cref="Subject"/>).</summary>
public sealed record LabelRecord : SignedRecord
{
    public string? CommunityName { get; init; }

    public InfoHash? Target { get; init; }

    public ReadOnlyMemory<byte>? Subject { get; init; }

    public required string Label { get; init; }

    public string? Reason { get; init; }

    public override string? Community => CommunityName;

    public override RecordKind Kind => RecordKind.Label;
}

/// <summary>A community's rules, moderators and limits, signed by its founder.</summary>
public sealed record CharterRecord : SignedRecord
{
    public required string CommunityName { get; init; }

    public string? Title { get; init; }

    public required string Rules { get; init; }

    public required IReadOnlyList<ReadOnlyMemory<byte>> Moderators { get; init; }

    /// <summary>Proof-of-work difficulty the founder asks for posts in this community.</summary>
    public int? PostDifficulty { get; init; }

    public override string? Community => CommunityName;

    public override RecordKind Kind => RecordKind.Charter;
}
