using System.Diagnostics.CodeAnalysis;
using Upseed.Bencode;
using Upseed.Metainfo;

namespace Upseed.Records;

/// <summary>Typed access to a record's fields, each check failing with a reason instead of a cast exception.</summary>
internal readonly struct FieldReader(BDictionary dict)
{
    public RecordCodec.Entry EntryOf(string key) => RecordCodec.EntryOf(dict, RecordFields.KeyBytes(key));

    public bool TryInteger(string key, out long value, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        value = 0;
        if (!dict.TryGetValue(RecordFields.KeyBytes(key), out var raw))
        {
            rejection = Missing(key);
            return false;
        }

        return TryAsInteger(key, raw, out value, out rejection);
    }

    public bool TryOptionalInteger(string key, out long? value, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        value = null;
        rejection = null;
        if (!dict.TryGetValue(RecordFields.KeyBytes(key), out var raw))
        {
            return true;
        }

        if (!TryAsInteger(key, raw, out var number, out rejection))
        {
            return false;
        }

        value = number;
        return true;
    }

    public bool TryText(string key, int maxBytes, bool multiline, out string text, [NotNullWhen(false)] out RecordRejection? rejection, bool allowEmpty = false)
    {
        text = string.Empty;
        if (!dict.TryGetValue(RecordFields.KeyBytes(key), out var raw))
        {
            rejection = Missing(key);
            return false;
        }

        if (raw is not BString str)
        {
            rejection = WrongType(key, "text");
            return false;
        }

        return TextRules.TryReadText(str.Span, key, maxBytes, multiline, allowEmpty, out text, out rejection);
    }

    public bool TryOptionalText(string key, int maxBytes, bool multiline, out string? text, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        text = null;
        rejection = null;
        if (!dict.TryGetValue(RecordFields.KeyBytes(key), out _))
        {
            return true;
        }

        if (!TryText(key, maxBytes, multiline, out var value, out rejection))
        {
            return false;
        }

        text = value;
        return true;
    }

    public bool TryBytes(string key, int size, out ReadOnlyMemory<byte> value, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        value = default;
        if (!dict.TryGetValue(RecordFields.KeyBytes(key), out var raw))
        {
            rejection = Missing(key);
            return false;
        }

        if (raw is not BString str || str.Value.Length != size)
        {
            rejection = new(RejectReason.InvalidField, $"The {key} must be {size} bytes.");
            return false;
        }

        value = str.Value;
        rejection = null;
        return true;
    }

    public bool TryOptionalBytes(string key, int size, out ReadOnlyMemory<byte>? value, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        value = null;
        rejection = null;
        if (!dict.TryGetValue(RecordFields.KeyBytes(key), out _))
        {
            return true;
        }

        if (!TryBytes(key, size, out var bytes, out rejection))
        {
            return false;
        }

        value = bytes;
        return true;
    }

    public bool TryId(string key, out InfoHash id, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        id = default;
        if (!TryBytes(key, InfoHash.Size, out var bytes, out rejection))
        {
            return false;
        }

        id = new InfoHash(bytes.Span);
        return true;
    }

    public bool TryOptionalId(string key, out InfoHash? id, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        id = null;
        rejection = null;
        if (!dict.TryGetValue(RecordFields.KeyBytes(key), out _))
        {
            return true;
        }

        if (!TryId(key, out var value, out rejection))
        {
            return false;
        }

        id = value;
        return true;
    }

    public bool TryCommunity(bool required, out string? community, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        community = null;
        rejection = null;
        if (!dict.TryGetValue(RecordFields.KeyBytes(RecordFields.Community), out _) && !required)
        {
            return true;
        }

        if (!TryText(RecordFields.Community, RecordLimits.MaxCommunityBytes, multiline: false, out var name, out rejection))
        {
            return false;
        }

        if (!TextRules.IsValidCommunity(name))
        {
            rejection = new(RejectReason.InvalidField, $"'{name}' is not a community name (lowercase letters, digits, '-', '_', '.').");
            return false;
        }

        community = name;
        return true;
    }

    public bool TryKeyList(string key, out IReadOnlyList<ReadOnlyMemory<byte>> keys, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        keys = [];
        if (!dict.TryGetValue(RecordFields.KeyBytes(key), out var raw))
        {
            rejection = Missing(key);
            return false;
        }

        if (raw is not BList list || list.Count > RecordLimits.MaxModerators)
        {
            rejection = new(RejectReason.InvalidField, $"The {key} are a list of at most {RecordLimits.MaxModerators} public keys.");
            return false;
        }

        var result = new List<ReadOnlyMemory<byte>>(list.Count);
        foreach (var item in list.Items)
        {
            if (item is not BString str || str.Value.Length != Crypto.Ed25519.PublicKeySize)
            {
                rejection = new(RejectReason.InvalidField, $"Each of the {key} is a 32-byte public key.");
                return false;
            }

            result.Add(str.Value);
        }

        keys = result;
        rejection = null;
        return true;
    }

    private static bool TryAsInteger(string key, BValue raw, out long value, [NotNullWhen(false)] out RecordRejection? rejection)
    {
        value = 0;
        if (raw is not BInteger integer)
        {
            rejection = WrongType(key, "an integer");
            return false;
        }

        value = integer.Value;
        rejection = null;
        return true;
    }

    private static RecordRejection Missing(string key) => new(RejectReason.MissingField, $"The record has no '{key}' field.");

    private static RecordRejection WrongType(string key, string expected) => new(RejectReason.InvalidField, $"The {key} must be {expected}.");
}
