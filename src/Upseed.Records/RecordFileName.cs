using System.Globalization;
using System.Text;

namespace Upseed.Records;

/// <summary>
/// The file name inside a record's torrent. It is part of the info dictionary, so it must be a pure function of the
/// record: every node derives the same name, hence the same info-hash. ASCII only, so it is safe on every file system
/// a BitTorrent client might save to, e.g. <c>post-gardening-first-tomatoes-3f2a1b9c-1763781234.upseed</c>.
/// </summary>
public static class RecordFileName
{
    private const int MaxSlugLength = 40;
    public const string Extension = ".upseed";

    public static string For(RecordKind kind, ReadOnlySpan<byte> author, long created, string? community, string? title)
    {
        var builder = new StringBuilder(96);
        builder.Append(kind switch
        {
            RecordKind.Post when title is null => "comment",
            _ => kind.ToString().ToLowerInvariant(),
        });
        if (community is not null)
        {
            builder.Append('-').Append(community);
        }

        var slug = Slug(title);
        if (slug.Length > 0)
        {
            builder.Append('-').Append(slug);
        }

        builder.Append('-').Append(Convert.ToHexStringLower(author[..4]));
        if (kind != RecordKind.Identity)
        {
            builder.Append('-').Append(created.ToString(CultureInfo.InvariantCulture));
        }

        return builder.Append(Extension).ToString();
    }

    /// <summary>Lowercase ASCII letters and digits; every other run becomes one '-'; at most 40 characters.</summary>
    public static string Slug(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var slug = new StringBuilder(MaxSlugLength);
        var pendingDash = false;
        foreach (var ch in text)
        {
            if (char.IsAsciiLetterOrDigit(ch))
            {
                if (pendingDash && slug.Length > 0)
                {
                    if (slug.Length + 1 >= MaxSlugLength)
                    {
                        break;
                    }

                    slug.Append('-');
                }

                pendingDash = false;
                slug.Append(char.ToLowerInvariant(ch));
                if (slug.Length >= MaxSlugLength)
                {
                    break;
                }
            }
            else
            {
                pendingDash = true;
            }
        }

        return slug.ToString();
    }
}
