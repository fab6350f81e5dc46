using System.Text;
using Microsoft.Data.Sqlite;
using Upseed.Metainfo;
using Upseed.Records;

namespace Upseed.Store;

/// <summary>
/// Listings (Hot, New, Top per period; per community or across all) and threads. Listing queries read
/// (created, score) from a partial index over top-level live posts, sort there, and only then join the rows they
/// return, so a Top-week over a million posts touches one week of index entries.
/// </summary>
public sealed class ForumQueries
{
    private const int MaxLimit = 500;
    private readonly RecordStore _store;

    internal ForumQueries(RecordStore store) => _store = store;

    public IReadOnlyList<PostSummary> List(ListingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, MaxLimit);
        var offset = Math.Max(0, query.Offset);
        var now = _store.Now();
        return _store.Read(() =>
        {
            var community = CommunityRef(query.Community);
            if (query.Community is not null && community is null)
            {
                return (IReadOnlyList<PostSummary>)[];
            }

            return query.Sort switch
            {
                ListingSort.New => Page(Filter(community, query.TitleContains, long.MinValue, long.MaxValue), "p.created DESC, p.seq DESC", limit, offset, now),
                ListingSort.Top => Page(Filter(community, query.TitleContains, Ranking.Since(query.Period, now), long.MaxValue), "p.score DESC, p.created DESC, p.seq DESC", limit, offset, now),
                _ => Hot(community, query.TitleContains, limit, offset, now),
            };
        });
    }

    /// <summary>A post (or comment) with its replies, or null if this box does not have it.</summary>
    public ThreadNode? Thread(InfoHash id, CommentSort sort = CommentSort.Top)
    {
        var rows = _store.Read(() =>
        {
            // Hidden posts (blocked, labelled by a followed moderator) are not served; retracted ones show as such.
            var head = Rows("WHERE r.id = $id AND (p.retracted & 2) = 0", cmd => cmd.Parameters.AddWithValue("$id", id.ToArray()));
            if (head.Count == 0)
            {
                return head;
            }

            // Comments in another community than the thread's are not part of it: one that arrived before its thread
            // could not be checked against it then.
            var root = head[0].Root ?? head[0].Id;
            var all = Rows("WHERE p.root = $root AND (p.retracted & 2) = 0", cmd => cmd.Parameters.AddWithValue("$root", root.ToArray()));
            return [.. head, .. all.Where(r => r.Id != id && r.Community == head[0].Community)];
        });
        if (rows.Count == 0)
        {
            return null;
        }

        var children = rows.Skip(1).ToLookup(r => r.Parent);
        return Build(rows[0], children, sort, depth: 0);
    }

    private static ThreadNode Build(Row row, ILookup<InfoHash?, Row> children, CommentSort sort, int depth)
    {
        var replies = children[row.Id];
        var ordered = sort == CommentSort.New
            ? replies.OrderByDescending(r => r.Created).ThenBy(r => r.Id)
            : replies.OrderByDescending(r => r.Score).ThenBy(r => r.Created).ThenBy(r => r.Id);

        // Depth is bounded by the number of rows (each row appears once), but cap it for readers' sake.
        var nested = depth < 200 ? ordered.Select(r => Build(r, children, sort, depth + 1)).ToList() : [];
        return new ThreadNode(
            row.Id, row.Community, row.Title, row.Retracted ? null : row.Body, row.Author, row.AuthorName, row.RawScore,
            row.Created, row.Parent, row.Root, row.Retracted, nested)
        {
            WeightedScore = TrustWeight.ToVotes(row.Score),
            ReplacedBy = row.ReplacedBy,
            Seeders = row.Seeders,
        };
    }

    private List<PostSummary> Hot(long? community, string? title, int limit, int offset, long now)
    {
        var windowStart = now - (long)Ranking.HotWindow.TotalSeconds;
        var recent = Filter(community, title, windowStart, long.MaxValue);
        var order = "hot(p.score, p.created, $now) DESC, p.created DESC, p.seq DESC";
        var page = new List<PostSummary>(Page(recent, order, limit, offset, now));
        if (page.Count == limit)
        {
            return page;
        }

        // Older posts have a hot rank of zero: newest first, after every recent post.
        var recentCount = Count(recent);
        var older = Filter(community, title, long.MinValue, windowStart - 1);
        page.AddRange(Page(older, "p.created DESC, p.seq DESC", limit - page.Count, (int)Math.Max(0, offset - recentCount), now));
        return page;
    }

    private sealed record FilterSql(string Where, Action<SqliteCommand> Bind);

    private static FilterSql Filter(long? community, string? title, long since, long until)
    {
        var where = new StringBuilder("p.root IS NULL AND p.retracted = 0");
        if (community is not null)
        {
            where.Append(" AND p.community = $community");
        }

        if (since != long.MinValue)
        {
            where.Append(" AND p.created >= $since");
        }

        if (until != long.MaxValue)
        {
            where.Append(" AND p.created <= $until");
        }

        if (!string.IsNullOrWhiteSpace(title))
        {
            where.Append(" AND p.title LIKE $title ESCAPE '\\'");
        }

        return new FilterSql(where.ToString(), cmd =>
        {
            if (community is not null)
            {
                cmd.Parameters.AddWithValue("$community", community.Value);
            }

            if (since != long.MinValue)
            {
                cmd.Parameters.AddWithValue("$since", since);
            }

            if (until != long.MaxValue)
            {
                cmd.Parameters.AddWithValue("$until", until);
            }

            if (!string.IsNullOrWhiteSpace(title))
            {
                var escaped = title.Trim().Replace("\\", "\\\\", StringComparison.Ordinal)
                    .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
                cmd.Parameters.AddWithValue("$title", "%" + escaped + "%");
            }
        });
    }

    private long Count(FilterSql filter)
    {
        using var command = _store.Command($"SELECT COUNT(*) FROM posts p WHERE {filter.Where}");
        filter.Bind(command);
        return (long)command.ExecuteScalar()!;
    }

    private List<PostSummary> Page(FilterSql filter, string order, int limit, int offset, long now)
    {
        // The inner query sorts seqs using the listing index only; the outer one joins just the page.
        using var command = _store.Command($"""
            SELECT r.id, c.name, p.title, a.key, a.name, p.score, p.comments, p.created, p.raw_score, {RecordStore.SeederCountSql}
            FROM (SELECT p.seq FROM posts p WHERE {filter.Where} ORDER BY {order} LIMIT $limit OFFSET $offset) AS page
            JOIN posts p ON p.seq = page.seq
            JOIN records r ON r.seq = p.seq
            JOIN authors a ON a.ref = p.author
            JOIN communities c ON c.ref = p.community
            ORDER BY {order}
            """);
        filter.Bind(command);
        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$offset", offset);
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$seedersSince", _store.SeedersSince());
        using var reader = command.ExecuteReader();
        var posts = new List<PostSummary>(limit);
        while (reader.Read())
        {
            posts.Add(new PostSummary(
                new InfoHash((byte[])reader[0]),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                (byte[])reader[3],
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetInt64(8),
                reader.GetInt64(6),
                reader.GetInt64(7))
            {
                WeightedScore = TrustWeight.ToVotes(reader.GetInt64(5)),
                Seeders = reader.GetInt64(9),
            });
        }

        return posts;
    }

    private long? CommunityRef(string? name)
    {
        if (name is null)
        {
            return null;
        }

        using var command = _store.Command("SELECT ref FROM communities WHERE name = $name");
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() as long?;
    }

    private sealed record Row(
        InfoHash Id, string Community, string? Title, string? Body, byte[] Author, string? AuthorName, long Score,
        long Created, InfoHash? Parent, InfoHash? Root, bool Retracted, long RawScore, InfoHash? ReplacedBy, long Seeders);

    private List<Row> Rows(string where, Action<SqliteCommand> bind)
    {
        using var command = _store.Command($"""
            SELECT r.id, c.name, p.title, r.bytes, a.key, a.name, p.score, p.created, p.parent, p.root, p.retracted, p.raw_score,
                   (SELECT x.replacement FROM retractions x WHERE x.target = r.id AND x.author = p.author), {RecordStore.SeederCountSql}
            FROM posts p
            JOIN records r ON r.seq = p.seq
            JOIN authors a ON a.ref = p.author
            JOIN communities c ON c.ref = p.community
            {where}
            """);
        bind(command);
        command.Parameters.AddWithValue("$seedersSince", _store.SeedersSince());
        using var reader = command.ExecuteReader();
        var rows = new List<Row>();
        var options = _store.ValidationOptions with { MaxFutureSkew = TimeSpan.MaxValue / 2 };
        while (reader.Read())
        {
            var bytes = (byte[])reader[3];
            var body = RecordCodec.TryDecode(bytes, options, out var record, out _) && record is PostRecord post ? post.Body : null;
            rows.Add(new Row(
                new InfoHash((byte[])reader[0]),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                body,
                (byte[])reader[4],
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt64(6),
                reader.GetInt64(7),
                reader.IsDBNull(8) ? null : new InfoHash((byte[])reader[8]),
                reader.IsDBNull(9) ? null : new InfoHash((byte[])reader[9]),
                (reader.GetInt64(10) & 1) != 0,
                reader.GetInt64(11),
                reader.IsDBNull(12) ? null : new InfoHash((byte[])reader[12]),
                reader.GetInt64(13)));
        }

        return rows;
    }
}
