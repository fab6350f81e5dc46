using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Upseed.Bencode;
using Upseed.Crypto;
using Upseed.Metainfo;

namespace Upseed.Records;

/// <summary>
/// Reads records from bytes and checks every rule: canonical bencode, known kind and fields, text-only, sizes,
/// timestamps, then (in <see cref="Authenticate"/>) signature and proof of work. Validation is split in two so a store
/// can spot a replay by id before paying for a signature check.
/// </summary>
public static class RecordCodec
{
    /// <summary>Domain prefix of every record signature: a record signature can never be mistaken for another message's.</summary>
    public static ReadOnlySpan<byte> SignatureDomain => "upseed-record-v1\0"u8;

    // Records are flat (a list of moderator keys at most): depth 2; at most a few dozen values.
    private static readonly BencodeOptions s_decoderOptions = new()
    {
        MaxDepth = 2,
        MaxStringLength = RecordLimits.MaxRecordSize,
        MaxMessageSize = RecordLimits.MaxRecordSize,
        MaxValues = 200,
    };

    /// <summary>Full validation: <see cref="TryDecode"/> then <see cref="Authenticate"/>.</summary>
    public static bool TryParse(
        ReadOnlyMemory<byte> bytes,
        RecordValidationOptions options,
        [NotNullWhen(true)] out SignedRecord? record,
        [NotNullWhen(false)] out RecordRejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!TryDecode(bytes, options, out record, out rejection))
        {
            return false;
        }

        rejection = Authenticate(record, options.RequiredWork(record.Kind, record.Community));
        if (rejection is not null)
        {
            record = null;
            return false;
        }

        return true;
    }

    /// <summary>
    /// Structural validation: everything but the signature and proof of work. Computes the record's id.
    /// A record from here is not yet trusted.
    /// </summary>
    public static bool TryDecode(
        ReadOnlyMemory<byte> bytes,
        RecordValidationOptions options,
        [NotNullWhen(true)] out SignedRecord? record,
        [NotNullWhen(false)] out RecordRejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(options);
        record = null;
        if (bytes.Length > RecordLimits.MaxRecordSize)
        {
            rejection = new(RejectReason.TooLarge, $"The record is {bytes.Length} bytes; the limit is {RecordLimits.MaxRecordSize}.");
            return false;
        }

        BValue root;
        try
        {
            root = BencodeDecoder.Decode(bytes, s_decoderOptions);
        }
        catch (BencodeException ex)
        {
            rejection = ex.Error switch
            {
                BencodeError.UnsortedKeys or BencodeError.DuplicateKey or BencodeError.LeadingZero
                    or BencodeError.NegativeZero or BencodeError.TrailingBytes
                    => new(RejectReason.NonCanonical, $"The record is not canonical bencode: {ex.Message}."),
                BencodeError.Truncated => new(RejectReason.Malformed, $"The record is cut short: {ex.Message}."),
                _ => new(RejectReason.Malformed, $"The record is not valid bencode: {ex.Message}."),
            };
            return false;
        }

        if (root is not BDictionary dict)
        {
            rejection = new(RejectReason.Malformed, "A record is a bencoded dictionary.");
            return false;
        }

        var reader = new FieldReader(dict);
        if (!reader.TryInteger(RecordFields.Version, out var version, out rejection))
        {
            return false;
        }

        if (version != RecordLimits.FormatVersion)
        {
            rejection = new(RejectReason.UnsupportedVersion, $"Record format version {version} is not supported; this node reads version {RecordLimits.FormatVersion}.");
            return false;
        }

        if (!reader.TryText(RecordFields.Kind, 16, multiline: false, out var kindName, out rejection))
        {
            return false;
        }

        if (!RecordFields.TryParseKind(kindName, out var kind))
        {
            rejection = new(RejectReason.UnknownKind, $"'{kindName}' is not a record kind (identity, post, vote, retract, label, charter).");
            return false;
        }

        foreach (var (key, _) in dict.Entries)
        {
            if (!RecordFields.IsAllowed(kind, key))
            {
                rejection = new(RejectReason.UnexpectedField, $"A {kindName} record has no field '{Printable(Encoding.UTF8.GetString(key))}'.");
                return false;
            }
        }

        if (!reader.TryBytes(RecordFields.Author, Ed25519.PublicKeySize, out var author, out rejection)
            || !reader.TryBytes(RecordFields.Sig, Ed25519.SignatureSize, out _, out rejection)
            || !reader.TryInteger(RecordFields.Created, out var created, out rejection))
        {
            return false;
        }

        if (created < 0)
        {
            rejection = new(RejectReason.InvalidField, "The creation time is negative.");
            return false;
        }

        // Readers of stored records turn this check off with a huge skew: saturate instead of overflowing DateTimeOffset.
        var now = options.Clock.GetUtcNow();
        var latest = options.MaxFutureSkew >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue
            : options.MaxFutureSkew <= DateTimeOffset.MinValue - now ? DateTimeOffset.MinValue
            : now + options.MaxFutureSkew;
        if (created > latest.ToUnixTimeSeconds())
        {
            rejection = new(
                RejectReason.FutureTimestamp,
                $"The record is dated {DateTimeOffset.FromUnixTimeSeconds(Math.Min(created, 253402300799)):u}, more than {options.MaxFutureSkew.TotalMinutes:0} minutes in the future.");
            return false;
        }

        if (kind is RecordKind.Identity or RecordKind.Post)
        {
            if (!reader.TryInteger(RecordFields.Pow, out var nonce, out rejection))
            {
                return false;
            }

            // A nonce is unsigned: were negative values all read as nonce 0, one solved challenge would yield any
            // number of distinct records (distinct ids) for the price of one.
            if (nonce < 0)
            {
                rejection = new(RejectReason.InvalidField, "The proof-of-work nonce is negative.");
                return false;
            }
        }

        var common = new CommonFields(bytes, author, created, reader.EntryOf(RecordFields.Sig), reader.EntryOf(RecordFields.Pow));
        return kind switch
        {
            RecordKind.Identity => TryIdentity(reader, common, out record, out rejection),
            RecordKind.Post => TryPost(reader, common, out record, out rejection),
            RecordKind.Vote => TryVote(reader, common, out record, out rejection),
            RecordKind.Retract => TryRetract(reader, common, out record, out rejection),
            RecordKind.Label => TryLabel(reader, common, out record, out rejection),
            RecordKind.Charter => TryCharter(reader, common, out record, out rejection),
            _ => throw new UnreachableException(),
        };
    }

    /// <summary>Checks the signature and the proof of work. Returns null when both hold.</summary>
    public static RecordRejection? Authenticate(SignedRecord record, int requiredDifficulty)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bytes = record.Bytes.Span;
        var sig = record.SignatureEntry.Length > 0 ? record.SignatureEntry : FindEntry(record.Bytes, "sig"u8);
        var message = ArrayPool<byte>.Shared.Rent(SignatureDomain.Length + bytes.Length);
        try
        {
            var length = CopyWithout(bytes, sig, default, message, SignatureDomain);
            var signature = bytes.Slice(sig.ValueStart + 3, Ed25519.SignatureSize);
            if (!Ed25519.Verify(record.Author.Span, message.AsSpan(0, length), signature))
            {
                return new(RejectReason.BadSignature, "The signature does not match the record and its author's key.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
        }

        if (requiredDifficulty > 0)
        {
            if (record.Kind is not (RecordKind.Identity or RecordKind.Post))
            {
                return null;
            }

            var pow = record.WorkEntry.Length > 0 ? record.WorkEntry : FindEntry(record.Bytes, "pow"u8);
            var nonce = ReadNonce(bytes, pow);
            Span<byte> challenge = stackalloc byte[ProofOfWork.ChallengeSize];
            ComputeWorkChallenge(bytes, pow, sig, challenge);
            var bits = ProofOfWork.LeadingZeroBits(challenge, nonce);
            if (bits < requiredDifficulty)
            {
                return new(RejectReason.InsufficientWork, $"The proof of work has {bits} leading zero bits; {requiredDifficulty} are required here.");
            }
        }

        return null;
    }

    /// <summary>
    /// The leading zero bits of a record's proof of work (0 for kinds without one). Trust weighting reads it: work
    /// above the required minimum is a cost the author chose to pay.
    /// </summary>
    public static int WorkBits(SignedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Kind is not (RecordKind.Identity or RecordKind.Post))
        {
            return 0;
        }

        var pow = record.WorkEntry.Length > 0 ? record.WorkEntry : FindEntry(record.Bytes, "pow"u8);
        var sig = record.SignatureEntry.Length > 0 ? record.SignatureEntry : FindEntry(record.Bytes, "sig"u8);
        if (pow.Length == 0)
        {
            return 0;
        }

        Span<byte> challenge = stackalloc byte[ProofOfWork.ChallengeSize];
        ComputeWorkChallenge(record.Bytes.Span, pow, sig, challenge);
        return ProofOfWork.LeadingZeroBits(challenge, ReadNonce(record.Bytes.Span, pow));
    }

    /// <summary>SHA-256 of the record's canonical bytes without its <c>pow</c> and <c>sig</c> entries.</summary>
    internal static void ComputeWorkChallenge(ReadOnlySpan<byte> bytes, Entry pow, Entry sig, Span<byte> challenge)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var position = 0;
        foreach (var skip in (ReadOnlySpan<Entry>)[pow, sig])
        {
            if (skip.Length == 0)
            {
                continue;
            }

            hash.AppendData(bytes[position..skip.Start]);
            position = skip.Start + skip.Length;
        }

        hash.AppendData(bytes[position..]);
        hash.GetHashAndReset(challenge);
    }

    /// <summary>Where a top-level "key: value" entry lies in canonical bytes (key header included).</summary>
    internal readonly record struct Entry(int Start, int Length, int ValueStart);

    /// <summary>Finds an entry by decoding again; for records not made by <see cref="TryDecode"/>.</summary>
    /// <exception cref="BencodeException">The bytes are not a canonical dictionary.</exception>
    internal static Entry FindEntry(ReadOnlyMemory<byte> bytes, ReadOnlySpan<byte> key)
    {
        var dict = (BDictionary)BencodeDecoder.Decode(bytes, s_decoderOptions);
        return EntryOf(dict, key);
    }

    /// <summary>
    /// Locates an entry of a decoded dictionary. Values are slices of the input, so the distance between the
    /// dictionary's first byte and the value's first byte is the value's offset; the key header precedes it.
    /// </summary>
    internal static Entry EntryOf(BDictionary dict, ReadOnlySpan<byte> key)
    {
        if (!dict.TryGetValue(key, out var value))
        {
            return default;
        }

        var valueStart = (int)Unsafe.ByteOffset(
            ref MemoryMarshal.GetReference(dict.Raw.Span),
            ref MemoryMarshal.GetReference(value.Raw.Span));
        var headerLength = key.Length + 1 + DecimalDigits(key.Length);
        return new Entry(valueStart - headerLength, headerLength + value.Raw.Length, valueStart);
    }

    private static int DecimalDigits(int value) => value switch
    {
        < 10 => 1,
        < 100 => 2,
        < 1000 => 3,
        _ => value.ToString(System.Globalization.CultureInfo.InvariantCulture).Length,
    };

    private static int CopyWithout(ReadOnlySpan<byte> bytes, Entry skip, Entry skip2, Span<byte> destination, ReadOnlySpan<byte> prefix)
    {
        prefix.CopyTo(destination);
        var written = prefix.Length;
        var position = 0;
        foreach (var entry in (ReadOnlySpan<Entry>)[skip, skip2])
        {
            if (entry.Length == 0)
            {
                continue;
            }

            bytes[position..entry.Start].CopyTo(destination[written..]);
            written += entry.Start - position;
            position = entry.Start + entry.Length;
        }

        bytes[position..].CopyTo(destination[written..]);
        return written + bytes.Length - position;
    }

    private static ulong ReadNonce(ReadOnlySpan<byte> bytes, Entry pow)
    {
        // "i<digits>e"; TryDecode refuses negative nonces, so '-' only reaches here from a record made by hand.
        var digits = bytes.Slice(pow.ValueStart + 1, pow.Length - (pow.ValueStart - pow.Start) - 2);
        ulong nonce = 0;
        foreach (var digit in digits)
        {
            if (digit == (byte)'-')
            {
                return 0;
            }

            nonce = (nonce * 10) + (ulong)(digit - '0');
        }

        return nonce;
    }

    private static string Printable(string name) =>
        name.Length <= 32 && name.All(c => c is >= ' ' and < (char)0x7F) ? name : "(unprintable)";

    private readonly record struct CommonFields(ReadOnlyMemory<byte> Bytes, ReadOnlyMemory<byte> Author, long Created, Entry Sig, Entry Pow);

    private static bool Finish(SignedRecord draft, CommonFields common, string? community, string? title, out SignedRecord record)
    {
        var fileName = RecordFileName.For(draft.Kind, draft.Author.Span, draft.Created, community, title);
        var id = SingleFileTorrent.ComputeInfoHash(fileName, draft.Bytes.Span);
        record = draft with { FileName = fileName, Id = id, SignatureEntry = common.Sig, WorkEntry = common.Pow };
        return true;
    }

    private static bool TryIdentity(FieldReader reader, CommonFields common, [NotNullWhen(true)] out SignedRecord? record, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        record = null;
        if (!reader.TryText(RecordFields.Name, RecordLimits.MaxNameBytes, multiline: false, out var name, out rejection)
            || !reader.TryOptionalText(RecordFields.Bio, RecordLimits.MaxBioBytes, multiline: true, out var bio, out rejection))
        {
            return false;
        }

        var draft = new IdentityRecord { Id = default, Bytes = common.Bytes, Author = common.Author, Created = common.Created, FileName = string.Empty, Name = name, Bio = bio };
        return Finish(draft, common, null, name, out record!);
    }

    private static bool TryPost(FieldReader reader, CommonFields common, [NotNullWhen(true)] out SignedRecord? record, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        record = null;
        if (!reader.TryCommunity(required: true, out var community, out rejection)
            || !reader.TryOptionalText(RecordFields.Title, RecordLimits.MaxTitleBytes, multiline: false, out var title, out rejection)
            || !reader.TryOptionalId(RecordFields.Parent, out var parent, out rejection)
            || !reader.TryOptionalId(RecordFields.Root, out var root, out rejection))
        {
            return false;
        }

        var isComment = parent.HasValue;
        if (!reader.TryText(RecordFields.Body, RecordLimits.MaxBodyBytes, multiline: true, out var body, out rejection, allowEmpty: !isComment))
        {
            return false;
        }

        if (parent.HasValue != root.HasValue)
        {
            rejection = new(RejectReason.InvalidField, "A comment names both its parent and its thread's root post; a post names neither.");
            return false;
        }

        if (isComment && title is not null)
        {
            rejection = new(RejectReason.UnexpectedField, "A comment has no title.");
            return false;
        }

        if (!isComment && string.IsNullOrEmpty(title))
        {
            rejection = new(RejectReason.MissingField, "A post needs a title.");
            return false;
        }

        var draft = new PostRecord
        {
            Id = default, Bytes = common.Bytes, Author = common.Author, Created = common.Created, FileName = string.Empty,
            CommunityName = community!, Title = title, Body = body, Parent = parent, Root = root,
        };
        return Finish(draft, common, community, title, out record!);
    }

    private static bool TryVote(FieldReader reader, CommonFields common, [NotNullWhen(true)] out SignedRecord? record, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        record = null;
        if (!reader.TryCommunity(required: true, out var community, out rejection)
            || !reader.TryId(RecordFields.Target, out var target, out rejection)
            || !reader.TryInteger(RecordFields.Value, out var value, out rejection))
        {
            return false;
        }

        if (value is < -1 or > 1)
        {
            rejection = new(RejectReason.InvalidField, $"A vote is +1, -1 or 0 (withdrawn), not {value}.");
            return false;
        }

        var draft = new VoteRecord
        {
            Id = default, Bytes = common.Bytes, Author = common.Author, Created = common.Created, FileName = string.Empty,
            CommunityName = community!, Target = target, Value = (int)value,
        };
        return Finish(draft, common, community, null, out record!);
    }

    private static bool TryRetract(FieldReader reader, CommonFields common, [NotNullWhen(true)] out SignedRecord? record, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        record = null;
        if (!reader.TryCommunity(required: true, out var community, out rejection)
            || !reader.TryId(RecordFields.Target, out var target, out rejection)
            || !reader.TryOptionalId(RecordFields.Replacement, out var replacement, out rejection))
        {
            return false;
        }

        var draft = new RetractRecord
        {
            Id = default, Bytes = common.Bytes, Author = common.Author, Created = common.Created, FileName = string.Empty,
            CommunityName = community!, Target = target, Replacement = replacement,
        };
        return Finish(draft, common, community, null, out record!);
    }

    private static bool TryLabel(FieldReader reader, CommonFields common, [NotNullWhen(true)] out SignedRecord? record, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        record = null;
        if (!reader.TryCommunity(required: false, out var community, out rejection)
            || !reader.TryOptionalId(RecordFields.Target, out var target, out rejection)
            || !reader.TryOptionalBytes(RecordFields.Subject, Ed25519.PublicKeySize, out var subject, out rejection)
            || !reader.TryText(RecordFields.Label, RecordLimits.MaxLabelBytes, multiline: false, out var label, out rejection)
            || !reader.TryOptionalText(RecordFields.Reason, RecordLimits.MaxReasonBytes, multiline: true, out var reason, out rejection))
        {
            return false;
        }

        if (target.HasValue == subject.HasValue)
        {
            rejection = new(RejectReason.InvalidField, "A label names exactly one of a target record or a subject author.");
            return false;
        }

        if (!TextRules.IsValidLabel(label))
        {
            rejection = new(RejectReason.InvalidField, $"'{label}' is not a label name (lowercase letters, digits, '-', '_', '.').");
            return false;
        }

        var draft = new LabelRecord
        {
            Id = default, Bytes = common.Bytes, Author = common.Author, Created = common.Created, FileName = string.Empty,
            CommunityName = community, Target = target, Subject = subject, Label = label, Reason = reason,
        };
        return Finish(draft, common, community, label, out record!);
    }

    private static bool TryCharter(FieldReader reader, CommonFields common, [NotNullWhen(true)] out SignedRecord? record, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        record = null;
        if (!reader.TryCommunity(required: true, out var community, out rejection)
            || !reader.TryOptionalText(RecordFields.Title, RecordLimits.MaxTitleBytes, multiline: false, out var title, out rejection)
            || !reader.TryText(RecordFields.Rules, RecordLimits.MaxRulesBytes, multiline: true, out var rules, out rejection, allowEmpty: true)
            || !reader.TryKeyList(RecordFields.Moderators, out var moderators, out rejection)
            || !reader.TryOptionalInteger(RecordFields.Difficulty, out var difficulty, out rejection))
        {
            return false;
        }

        if (difficulty is < 0 or > ProofOfWork.MaxDifficulty)
        {
            rejection = new(RejectReason.InvalidField, $"A community's post difficulty is 0 to {ProofOfWork.MaxDifficulty} bits, not {difficulty}.");
            return false;
        }

        var draft = new CharterRecord
        {
            Id = default, Bytes = common.Bytes, Author = common.Author, Created = common.Created, FileName = string.Empty,
            CommunityName = community!, Title = title, Rules = rules, Moderators = moderators, PostDifficulty = (int?)difficulty,
        };
        return Finish(draft, common, community, null, out record!);
    }
}
