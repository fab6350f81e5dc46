using Upseed.Bencode;
using Upseed.Crypto;
using Upseed.Metainfo;

namespace Upseed.Records;

/// <summary>
/// Makes signed records: fills the fields, solves the proof of work where the kind needs one, signs with the domain
/// prefix, and returns the record as every other node will read it (it goes through <see cref="RecordCodec"/>, so a
/// record that would be refused elsewhere is refused here first).
/// </summary>
public sealed class RecordFactory
{
    private readonly Ed25519KeyPair _author;
    private readonly RecordValidationOptions _options;

    public RecordFactory(Ed25519KeyPair author, RecordValidationOptions? options = null)
    {
        _author = author ?? throw new ArgumentNullException(nameof(author));
        _options = options ?? RecordValidationOptions.Default;
    }

    /// <summary>Called with the difficulty before a proof of work is searched, so a CLI can show progress.</summary>
    public Action<int>? WorkStarting { get; init; }

    public IdentityRecord Identity(string name, string? bio = null, long? created = null, CancellationToken cancellationToken = default)
    {
        var dict = Common(RecordKind.Identity, created).Set(RecordFields.Name, name);
        if (!string.IsNullOrEmpty(bio))
        {
            dict.Set(RecordFields.Bio, bio);
        }

        return (IdentityRecord)Seal(dict, RecordKind.Identity, null, cancellationToken);
    }

    public PostRecord Post(string community, string title, string body, long? created = null, CancellationToken cancellationToken = default)
    {
        var dict = Common(RecordKind.Post, created)
            .Set(RecordFields.Community, community)
            .Set(RecordFields.Title, title)
            .Set(RecordFields.Body, body);
        return (PostRecord)Seal(dict, RecordKind.Post, community, cancellationToken);
    }

    public PostRecord Comment(string community, InfoHash parent, InfoHash root, string body, long? created = null, CancellationToken cancellationToken = default)
    {
        var dict = Common(RecordKind.Post, created)
            .Set(RecordFields.Community, community)
            .Set(RecordFields.Parent, parent.ToArray())
            .Set(RecordFields.Root, root.ToArray())
            .Set(RecordFields.Body, body);
        return (PostRecord)Seal(dict, RecordKind.Post, community, cancellationToken);
    }

    public VoteRecord Vote(string community, InfoHash target, int value, long? created = null)
    {
        var dict = Common(RecordKind.Vote, created)
            .Set(RecordFields.Community, community)
            .Set(RecordFields.Target, target.ToArray())
            .Set(RecordFields.Value, value);
        return (VoteRecord)Seal(dict, RecordKind.Vote, community, default);
    }

    public RetractRecord Retract(string community, InfoHash target, InfoHash? replacement = null, long? created = null)
    {
        var dict = Common(RecordKind.Retract, created)
            .Set(RecordFields.Community, community)
            .Set(RecordFields.Target, target.ToArray());
        if (replacement.HasValue)
        {
            dict.Set(RecordFields.Replacement, replacement.Value.ToArray());
        }

        return (RetractRecord)Seal(dict, RecordKind.Retract, community, default);
    }

    public LabelRecord LabelRecord(string label, InfoHash? target, ReadOnlyMemory<byte>? subject, string? community = null, string? reason = null, long? created = null)
    {
        var dict = Common(RecordKind.Label, created).Set(RecordFields.Label, label);
        if (target.HasValue)
        {
            dict.Set(RecordFields.Target, target.Value.ToArray());
        }

        if (subject.HasValue)
        {
            dict.Set(RecordFields.Subject, subject.Value);
        }

        if (community is not null)
        {
            dict.Set(RecordFields.Community, community);
        }

        if (!string.IsNullOrEmpty(reason))
        {
            dict.Set(RecordFields.Reason, reason);
        }

        return (LabelRecord)Seal(dict, RecordKind.Label, community, default);
    }

    public CharterRecord Charter(string community, string rules, IReadOnlyList<ReadOnlyMemory<byte>> moderators, string? title = null, int? postDifficulty = null, long? created = null)
    {
        ArgumentNullException.ThrowIfNull(moderators);
        var dict = Common(RecordKind.Charter, created)
            .Set(RecordFields.Community, community)
            .Set(RecordFields.Rules, rules)
            .Set(RecordFields.Moderators, new BList(moderators.Select(m => (BValue)new BString(m)).ToArray()));
        if (title is not null)
        {
            dict.Set(RecordFields.Title, title);
        }

        if (postDifficulty.HasValue)
        {
            dict.Set(RecordFields.Difficulty, postDifficulty.Value);
        }

        return (CharterRecord)Seal(dict, RecordKind.Charter, community, default);
    }

    private BDictionary Common(RecordKind kind, long? created) => new BDictionary()
        .Set(RecordFields.Version, RecordLimits.FormatVersion)
        .Set(RecordFields.Kind, RecordFields.KindName(kind))
        .Set(RecordFields.Author, _author.PublicKey)
        .Set(RecordFields.Created, created ?? _options.Clock.GetUtcNow().ToUnixTimeSeconds());

    /// <exception cref="RecordRejectedException">The fields break a rule (too long, control characters...).</exception>
    private SignedRecord Seal(BDictionary dict, RecordKind kind, string? community, CancellationToken cancellationToken)
    {
        if (kind is RecordKind.Identity or RecordKind.Post)
        {
            var difficulty = _options.RequiredWork(kind, community);
            Span<byte> challenge = stackalloc byte[ProofOfWork.ChallengeSize];
            System.Security.Cryptography.SHA256.HashData(dict.Encode(), challenge);
            if (difficulty > 0)
            {
                WorkStarting?.Invoke(difficulty);
            }

            dict.Set(RecordFields.Pow, (long)ProofOfWork.Solve(challenge, Math.Max(0, difficulty), cancellationToken: cancellationToken));
        }

        var unsigned = dict.Encode();
        var message = new byte[RecordCodec.SignatureDomain.Length + unsigned.Length];
        RecordCodec.SignatureDomain.CopyTo(message);
        unsigned.CopyTo(message, RecordCodec.SignatureDomain.Length);
        dict.Set(RecordFields.Sig, _author.Sign(message));

        // Structure, text and sizes are checked as every node will check them; the signature was just made with
        // libsodium, so it is not verified again (that would double the cost of bulk generation).
        var bytes = dict.Encode();
        if (!RecordCodec.TryDecode(bytes, _options, out var record, out var rejection))
        {
            throw new RecordRejectedException(rejection);
        }

        return record;
    }
}
