using Microsoft.Data.Sqlite;
using Upseed.Metainfo;
using Upseed.Records;

namespace Upseed.Store;

// What community sync (Upseed.Sync) reads: the set of a community's records in a time window, record bytes by id,
// which offered ids are new here, and a change feed of arrivals. Additive; nothing here changes how records are stored.
public sealed partial class RecordStore
{
    /// <summary>
    /// The stamps (created, id) of the records that make up a community's sync set with a creation time in
    /// [<paramref name="fromCreated"/>, <paramref name="toCreated"/>), sorted by time then id bytes: the community's
    /// records that are not hidden here, and the current identity record of every author who has a record in the
    /// community (so names travel with posts). Fills <paramref name="into"/> (cleared first), so a caller can reuse it.
    /// </summary>
    public void CommunityStamps(string community, long fromCreated, long toCreated, List<RecordStamp> into)
    {
        ArgumentNullException.ThrowIfNull(community);
        ArgumentNullException.ThrowIfNull(into);
        into.Clear();
        lock (_gate)
        {
            var command = Cached("""
                SELECT r.created, r.id FROM records r
                WHERE r.community = (SELECT ref FROM communities WHERE name = $name)
                  AND r.created >= $from AND r.created < $to
                  AND NOT EXISTS (SELECT 1 FROM hidden h WHERE h.record = r.id)
                UNION ALL
                SELECT r.created, r.id FROM authors a JOIN records r ON r.id = a.identity_id
                WHERE r.created >= $from AND r.created < $to
                  AND EXISTS (SELECT 1 FROM records x WHERE x.author = a.ref
                              AND x.community = (SELECT ref FROM communities WHERE name = $name))
                ORDER BY 1, 2
                """, null);
            command.Parameters.AddWithValue("$name", community);
            command.Parameters.AddWithValue("$from", fromCreated);
            command.Parameters.AddWithValue("$to", toCreated);
            using var reader = command.ExecuteReader();
            // One buffer for every id: a community may hold hundreds of thousands of records.
            var id = new byte[InfoHash.Size];
            while (reader.Read())
            {
                if (reader.GetBytes(1, 0, id, 0, InfoHash.Size) == InfoHash.Size)
                {
                    into.Add(new RecordStamp(reader.GetInt64(0), new InfoHash(id)));
                }
            }
        }
    }

    /// <summary>The stored bytes of those of <paramref name="ids"/> that are here, in the order asked, under one lock.</summary>
    public IReadOnlyList<(InfoHash Id, byte[] Bytes)> RecordBytes(IReadOnlyList<InfoHash> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = new List<(InfoHash, byte[])>(ids.Count);
        lock (_gate)
        {
            var command = Cached("SELECT bytes FROM records WHERE id = $id", null);
            var parameter = command.Parameters.Add("$id", SqliteType.Blob);
            foreach (var id in ids)
            {
                parameter.Value = id.ToArray();
                if (command.ExecuteScalar() is byte[] { Length: > 0 } bytes)
                {
                    found.Add((id, bytes));
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Those of <paramref name="ids"/> this store neither holds nor has dropped by policy: what to ask a peer for when
    /// it offers ids.
    /// </summary>
    public IReadOnlyList<InfoHash> Unknown(IReadOnlyList<InfoHash> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var unknown = new List<InfoHash>();
        lock (_gate)
        {
            var command = Cached("""
                SELECT EXISTS (SELECT 1 FROM records WHERE id = $id) OR EXISTS (SELECT 1 FROM dropped_records WHERE id = $id)
                """, null);
            var parameter = command.Parameters.Add("$id", SqliteType.Blob);
            foreach (var id in ids)
            {
                parameter.Value = id.ToArray();
                if (command.ExecuteScalar() is not 1L)
                {
                    unknown.Add(id);
                }
            }
        }

        return unknown;
    }

    /// <summary>The highest arrival sequence stored now (0 when empty): where a change feed starts.</summary>
    public long LastSequence() => Read(() =>
    {
        using var command = Command("SELECT COALESCE(MAX(seq), 0) FROM records");
        return (long)command.ExecuteScalar()!;
    });

    /// <summary>
    /// Records with an arrival sequence above <paramref name="afterSequence"/>, oldest first, at most
    /// <paramref name="limit"/>: a change feed that also sees what other processes (the CLI) write to the folder.
    /// SQLite may give the sequence of a record replaced in the same transaction (an older vote) to the newer one,
    /// so a follower that wants every arrival looks a few sequences back and skips (sequence, id) pairs it has seen.
    /// </summary>
    public IReadOnlyList<RecordChange> ChangesSince(long afterSequence, int limit)
    {
        var changes = new List<RecordChange>();
        if (limit <= 0)
        {
            return changes;
        }

        lock (_gate)
        {
            var command = Cached("""
                SELECT r.seq, r.id, r.kind, c.name, r.created, length(r.bytes) FROM records r
                LEFT JOIN communities c ON c.ref = r.community
                WHERE r.seq > $after ORDER BY r.seq LIMIT $limit
                """, null);
            command.Parameters.AddWithValue("$after", afterSequence);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                changes.Add(new RecordChange(
                    reader.GetInt64(0),
                    new InfoHash((byte[])reader[1]),
                    (RecordKind)reader.GetInt32(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetInt64(4),
                    reader.GetInt32(5)));
            }
        }

        return changes;
    }
}
