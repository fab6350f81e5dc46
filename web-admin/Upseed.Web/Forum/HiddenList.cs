using System.Globalization;
using System.Text;
using Upseed.Metainfo;
using Upseed.Store;

namespace Upseed.Web;

/// <summary>
/// What the admin hid from this box's board, until the store's own blocks and moderation land: authors and posts, each
/// with when and why, kept in two settings (<see cref="AuthorsSetting"/>, <see cref="PostsSetting"/>; one entry per
/// line: <c>hex TAB unix-seconds TAB reason</c>). A hidden post is also unpinned (this box stops seeding it). Listings
/// and threads leave hidden posts and every post of a hidden author out.
/// </summary>
internal sealed class HiddenList
{
    public const string AuthorsSetting = "web.hidden.authors";
    public const string PostsSetting = "web.hidden.posts";

    /// <summary>Reasons are shown to admins; a line is plenty.</summary>
    public const int MaxReasonLength = 200;

    private readonly RecordStore _store;
    private readonly TimeProvider _clock;

    public HiddenList(RecordStore store, WebOptions options)
    {
        _store = store;
        _clock = options.Clock;
    }

    public IReadOnlyList<HiddenEntry> Authors => Read(AuthorsSetting);

    public IReadOnlyList<HiddenEntry> Posts => Read(PostsSetting);

    public int Count => Authors.Count + Posts.Count;

    public bool IsAuthorHidden(ReadOnlySpan<byte> author)
    {
        var hex = Convert.ToHexStringLower(author);
        return Authors.Any(e => e.Key == hex);
    }

    public bool IsPostHidden(InfoHash id)
    {
        var hex = id.ToHex();
        return Posts.Any(e => e.Key == hex);
    }

    /// <summary>Hides an author here and blocks them in the store (refused at ingest, stored records hidden and unseeded).</summary>
    public void HideAuthor(string keyHex, string? reason)
    {
        Add(AuthorsSetting, keyHex, reason);
        _store.Block(BlockKind.Author, keyHex);
    }

    public void HidePost(InfoHash id, string? reason)
    {
        Add(PostsSetting, id.ToHex(), reason);
        _store.Unpin(id);
    }

    public bool Unhide(string keyOrId)
    {
        var author = Remove(AuthorsSetting, keyOrId);
        if (author)
        {
            _store.Unblock(BlockKind.Author, keyOrId);
        }

        return author | Remove(PostsSetting, keyOrId);
    }

    private void Add(string setting, string hex, string? reason)
    {
        var entries = Read(setting).Where(e => e.Key != hex).ToList();
        reason = Clean(reason);
        entries.Add(new HiddenEntry(hex, _clock.GetUtcNow().ToUnixTimeSeconds(), reason));
        Write(setting, entries);
    }

    private bool Remove(string setting, string hex)
    {
        var entries = Read(setting);
        var kept = entries.Where(e => e.Key != hex).ToList();
        if (kept.Count == entries.Count)
        {
            return false;
        }

        Write(setting, kept);
        return true;
    }

    private List<HiddenEntry> Read(string setting)
    {
        var value = _store.GetSetting(setting);
        if (string.IsNullOrEmpty(value))
        {
            return [];
        }

        var entries = new List<HiddenEntry>();
        foreach (var line in value.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t', 3);
            if (parts[0].Length is 40 or 64 && parts[0].All(char.IsAsciiHexDigitLower))
            {
                var since = parts.Length > 1 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
                entries.Add(new HiddenEntry(parts[0], since, parts.Length > 2 ? parts[2] : ""));
            }
        }

        return entries;
    }

    private void Write(string setting, List<HiddenEntry> entries)
    {
        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"{entry.Key}\t{entry.Since}\t{entry.Reason}\n");
        }

        _store.SetSetting(setting, entries.Count == 0 ? null : text.ToString());
    }

    private static string Clean(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return "";
        }

        var line = new string(reason.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return line.Length > MaxReasonLength ? line[..MaxReasonLength] : line;
    }
}

internal sealed record HiddenEntry(string Key, long Since, string Reason);
