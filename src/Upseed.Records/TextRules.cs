using System.Diagnostics.CodeAnalysis;
using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Upseed.Records;

/// <summary>
/// Text-only rules for record fields: valid UTF-8, no control characters but newline and tab (and those only in
/// multi-line fields), size caps in bytes. This is what keeps binary out of a text forum.
/// </summary>
public static class TextRules
{
    private static readonly SearchValues<char> s_communityChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-_.");

    /// <summary>Checks a UTF-8 field and decodes it.</summary>
    public static bool TryReadText(
        ReadOnlySpan<byte> utf8,
        string field,
        int maxBytes,
        bool multiline,
        bool allowEmpty,
        out string text,
        [NotNullWhen(false)] out RecordRejection? rejection)
    {
        text = string.Empty;
        if (utf8.Length > maxBytes)
        {
            rejection = new(RejectReason.FieldTooLong, $"The {field} is {utf8.Length} bytes; the limit is {maxBytes}.");
            return false;
        }

        if (!allowEmpty && utf8.IsEmpty)
        {
            rejection = new(RejectReason.InvalidField, $"The {field} is empty.");
            return false;
        }

        if (!Utf8.IsValid(utf8))
        {
            rejection = new(RejectReason.InvalidText, $"The {field} is not valid UTF-8 text.");
            return false;
        }

        text = Encoding.UTF8.GetString(utf8);
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsForbidden(rune, multiline))
            {
                rejection = new(
                    RejectReason.InvalidText,
                    $"The {field} contains the control character U+{rune.Value:X4}; only text is allowed{(multiline ? " (newline and tab are fine)" : " on one line")}.");
                return false;
            }
        }

        rejection = null;
        return true;
    }

    /// <summary>Checks that text (from a user) would pass <see cref="TryReadText"/>, with the same sentence.</summary>
    public static RecordRejection? Check(string text, string field, int maxBytes, bool multiline, bool allowEmpty)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        return TryReadText(bytes, field, maxBytes, multiline, allowEmpty, out _, out var rejection) ? null : rejection;
    }

    /// <summary>Community names are lowercase ASCII slugs: letters, digits, '-', '_', '.', starting with a letter or digit.</summary>
    public static bool IsValidCommunity(ReadOnlySpan<char> name) =>
        name.Length is > 0 and <= RecordLimits.MaxCommunityBytes
        && !name.ContainsAnyExcept(s_communityChars)
        && char.IsAsciiLetterOrDigit(name[0]);

    /// <summary>Label names use the same alphabet as communities.</summary>
    public static bool IsValidLabel(ReadOnlySpan<char> label) =>
        label.Length is > 0 and <= RecordLimits.MaxLabelBytes
        && !label.ContainsAnyExcept(s_communityChars)
        && char.IsAsciiLetterOrDigit(label[0]);

    // C0 controls, DEL and C1 controls; newline and tab only where the field is multi-line.
    // Also refuse bidirectional overrides and isolates, which can make a post's text display as something else.
    private static bool IsForbidden(Rune rune, bool multiline)
    {
        var value = rune.Value;
        if (value is '\n' or '\t')
        {
            return !multiline;
        }

        return value < 0x20
            || value is >= 0x7F and <= 0x9F
            || value is >= 0x202A and <= 0x202E
            || value is >= 0x2066 and <= 0x2069;
    }
}
