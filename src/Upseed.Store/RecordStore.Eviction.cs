using Microsoft.Data.Sqlite;
using Upseed.Metainfo;
using Upseed.Records;

namespace Upseed.Store;

public sealed partial class RecordStore
{
    /// <summary>
    /// The eviction pass of the seeding policy (<see cref="SeedingPolicy"/>). Never drops a pinned record, a record
    /// by one of the box's members, a post that holds a member's (or pinned) comment, identities or charters. In order:
    /// <list type="number">
    /// <item>records of communities no longer carried (<see cref="DropReason.NotCarried"/>);</item>
    /// <item>posts past their retention, <see cref="SeedingPolicy.KeepUntil"/>: created + (retention + days per point ×
    /// weighted score) days; comments live as long as their thread (<see cref="DropReason.Expired"/>);</item>
    /// <item>votes on records that never arrived, older than the retention (<see cref="DropReason.Orphan"/>);</item>
    /// <item>while over the record or byte quota: hidden posts first (blocked, labelled, retracted), then the ones
    /// whose retention ends soonest, i.e. old and low-scored first (<see cref="DropReason.OverQuota"/>).</item>
    /// </list>
    /// A dropped post takes its comments (<see cref="DropReason.ThreadDropped"/>) and the votes on it along. Each
    /// drop is listed in <see cref="Dropped"/> (votes that went with their post are not listed one by one), and a
    /// listed record is refused if it comes back, unless pinned. The pass also recomputes trust weights (they grow
    /// with age) and forgets old seeder observations and old entries of the dropped list.
    /// </summary>
    public EvictionReport Evict()
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            RefreshPolicyLocked(transaction);
            RecomputeWeightsLocked(transaction);
            var policy = _policy.Seeding;
            var now = Now();
            var (recordsBefore, bytesBefore) = SizeLocked(transaction);
            var dropped = new List<DroppedRecord>();

            DropNotCarriedLocked(policy, dropped, transaction);

            var candidates = PostCandidatesLocked(policy, transaction);
            var gone = new HashSet<InfoHash>();
            foreach (var candidate in candidates.Values.Where(c => c.KeepUntil < now).ToList().OrderBy(c => c.Root is null ? 0 : 1))
            {
                DropPostLocked(candidate, DropReason.Expired, candidates, gone, dropped, transaction);
            }

            DropOrphanVotesLocked(policy, now, dropped, transaction);

            var (records, bytes) = SizeLocked(transaction);
            bool Over() => (policy.QuotaRecords > 0 && records > policy.QuotaRecords) || (policy.QuotaBytes > 0 && bytes > policy.QuotaBytes);
            if (Over())
            {
                foreach (var candidate in candidates.Values.OrderByDescending(c => c.Hidden).ThenBy(c => c.KeepUntil).ThenBy(c => c.Seq))
                {
                    if (!Over())
                    {
                        break;
                    }

                    var (count, size) = DropPostLocked(candidate, DropReason.OverQuota, candidates, gone, dropped, transaction);
                    records -= count;
                    bytes -= size;
                }
            }

            using (var prune = Command("DELETE FROM dropped_records WHERE dropped < $cutoff; DELETE FROM seeders WHERE seen < $stale;", transaction))
            {
                prune.Parameters.AddWithValue("$cutoff", now - (long)(policy.DroppedLogDays * 86_400));
                prune.Parameters.AddWithValue("$stale", now - (long)(policy.SeederWindowMinutes * 60 * 2));
                prune.ExecuteNonQuery();
            }

            var (recordsAfter, bytesAfter) = SizeLocked(transaction);
            transaction.Commit();
            return new EvictionReport(dropped, recordsBefore, bytesBefore, recordsAfter, bytesAfter, Over());
        }
    }

    /// <summary>What the seeding policy dropped, newest first: the admin's "dropped" page.</summary>
    public IReadOnlyList<DroppedRecord> Dropped(int limit = 100, int offset = 0)
    {
        lock (_gate)
        {
            using var command = Command("""
                SELECT id, kind, community, reason, dropped FROM dropped_records ORDER BY dropped DESC, id LIMIT $limit OFFSET $offset
                """);
            command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 10_000));
            command.Parameters.AddWithValue("$offset", Math.Max(0, offset));
            using var reader = command.ExecuteReader();
            var list = new List<DroppedRecord>();
            while (reader.Read())
            {
                list.Add(new DroppedRecord(
                    new InfoHash((byte[])reader[0]), (RecordKind)reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetString(3), reader.GetInt64(4)));
            }

            return list;
        }
    }

    /// <summary>True when the seeding policy dropped this record (and the entry has not aged out of the list).</summary>
    public bool WasDropped(InfoHash id)
    {
        lock (_gate)
        {
            return WasDroppedLocked(id, null);
        }
    }

    /// <summary>The records' own bytes, the figure the byte quota applies to, and how many records there are.</summary>
    public (long Records, long Bytes) StoredSize()
    {
        lock (_gate)
        {
            return SizeLocked(null);
        }
    }

    private (long Records, long Bytes) SizeLocked(SqliteTransaction? tx)
    {
        using var command = Command("SELECT COUNT(*), COALESCE(SUM(LENGTH(bytes)), 0) FROM records", tx);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private sealed record Candidate(long Seq, InfoHash Id, string Community, long Created, InfoHash? Root, bool Hidden, long KeepUntil);

    /// <summary>Posts and comments the pass may drop (unprotected), each with until when it is kept.</summary>
    private Dictionary<InfoHash, Candidate> PostCandidatesLocked(SeedingPolicy policy, SqliteTransaction tx)
    {
        var rows = new List<(long Seq, InfoHash Id, string Community, long Created, long Score, InfoHash? Root, bool Hidden, bool Protected)>();
        using (var query = Command("""
            SELECT r.seq, r.id, c.name, r.created, p.score, p.root,
                   p.retracted != 0 OR EXISTS(SELECT 1 FROM hidden h WHERE h.record = r.id),
                   EXISTS(SELECT 1 FROM pins pn WHERE pn.record = r.id) OR EXISTS(SELECT 1 FROM temp.members m WHERE m.key = a.key)
            FROM posts p JOIN records r ON r.seq = p.seq JOIN authors a ON a.ref = r.author JOIN communities c ON c.ref = p.community
            """, tx))
        using (var reader = query.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), new InfoHash((byte[])reader[1]), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4),
                    reader.IsDBNull(5) ? null : new InfoHash((byte[])reader[5]), reader.GetInt64(6) != 0, reader.GetInt64(7) != 0));
            }
        }

        // A thread a member (or a pin) takes part in is kept whole: dropping its post would orphan their comment.
        var protectedThreads = rows.Where(r => r.Protected && r.Root is not null).Select(r => r.Root!.Value).ToHashSet();
        var rootKeep = new Dictionary<InfoHash, long>();
        foreach (var row in rows.Where(r => r.Root is null))
        {
            rootKeep[row.Id] = row.Protected || protectedThreads.Contains(row.Id)
                ? long.MaxValue
                : policy.KeepUntil(row.Created, TrustWeight.ToVotes(row.Score));
        }

        var candidates = new Dictionary<InfoHash, Candidate>();
        foreach (var row in rows)
        {
            if (row.Protected || (row.Root is null && protectedThreads.Contains(row.Id)))
            {
                continue;
            }

            var keep = policy.KeepUntil(row.Created, TrustWeight.ToVotes(row.Score));
            if (row.Root is { } root && rootKeep.TryGetValue(root, out var threadKeep))
            {
                keep = Math.Max(keep, threadKeep);
            }

            candidates[row.Id] = new Candidate(row.Seq, row.Id, row.Community, row.Created, row.Root, row.Hidden, keep);
        }

        return candidates;
    }

    /// <summary>Drops a post (and, for a thread's post, its unprotected comments). Returns the records and bytes freed.</summary>
    private (long Records, long Bytes) DropPostLocked(
        Candidate candidate, string reason, Dictionary<InfoHash, Candidate> candidates, HashSet<InfoHash> gone, List<DroppedRecord> dropped, SqliteTransaction tx)
    {
        if (!gone.Add(candidate.Id))
        {
            return (0, 0);
        }

        var (records, bytes) = DeleteRecordLocked(candidate.Id, tx);
        RecordDropLocked(new DroppedRecord(candidate.Id, RecordKind.Post, candidate.Community, reason, Now()), dropped, tx);
        if (candidate.Root is null)
        {
            foreach (var comment in candidates.Values.Where(c => c.Root == candidate.Id).ToList())
            {
                var (r, b) = DropPostLocked(comment, DropReason.ThreadDropped, candidates, gone, dropped, tx);
                records += r;
                bytes += b;
            }
        }

        return (records, bytes);
    }

    private void DropNotCarriedLocked(SeedingPolicy policy, List<DroppedRecord> dropped, SqliteTransaction tx)
    {
        if (policy.Communities.Count == 0)
        {
            return;
        }

        var doomed = new List<(InfoHash Id, RecordKind Kind, string Community)>();
        using (var query = Command("""
            SELECT r.id, r.kind, c.name FROM records r JOIN communities c ON c.ref = r.community JOIN authors a ON a.ref = r.author
            LEFT JOIN posts p ON p.seq = r.seq LEFT JOIN votes v ON v.record = r.id
            WHERE NOT EXISTS(SELECT 1 FROM pins pn WHERE pn.record = r.id)
              AND NOT EXISTS(SELECT 1 FROM temp.members m WHERE m.key = a.key)
              AND (p.root IS NULL OR NOT EXISTS(SELECT 1 FROM pins pn WHERE pn.record = p.root))
              AND (v.target IS NULL OR NOT EXISTS(SELECT 1 FROM pins pn WHERE pn.record = v.target))
            """, tx))
        using (var reader = query.ExecuteReader())
        {
            while (reader.Read())
            {
                var community = reader.GetString(2);
                if (!policy.Carries(community))
                {
                    doomed.Add((new InfoHash((byte[])reader[0]), (RecordKind)reader.GetInt32(1), community));
                }
            }
        }

        foreach (var (id, kind, community) in doomed)
        {
            DeleteRecordLocked(id, tx);
            RecordDropLocked(new DroppedRecord(id, kind, community, DropReason.NotCarried, Now()), dropped, tx);
        }
    }

    private void DropOrphanVotesLocked(SeedingPolicy policy, long now, List<DroppedRecord> dropped, SqliteTransaction tx)
    {
        if (policy.RetentionDays <= 0)
        {
            return;
        }

        var orphans = new List<(InfoHash Id, string? Community)>();
        using (var query = Command("""
            SELECT v.record, c.name FROM votes v JOIN records r ON r.id = v.record JOIN authors a ON a.ref = v.voter
            LEFT JOIN communities c ON c.ref = r.community
            WHERE v.created < $cutoff AND NOT EXISTS(SELECT 1 FROM records t WHERE t.id = v.target)
              AND NOT EXISTS(SELECT 1 FROM pins pn WHERE pn.record = v.target)
              AND NOT EXISTS(SELECT 1 FROM temp.members m WHERE m.key = a.key)
            """, tx))
        {
            query.Parameters.AddWithValue("$cutoff", now - (long)(policy.RetentionDays * 86_400));
            using var reader = query.ExecuteReader();
            while (reader.Read())
            {
                orphans.Add((new InfoHash((byte[])reader[0]), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }

        foreach (var (id, community) in orphans)
        {
            DeleteRecordLocked(id, tx);
            RecordDropLocked(new DroppedRecord(id, RecordKind.Vote, community, DropReason.Orphan, now), dropped, tx);
        }
    }

    private void RecordDropLocked(DroppedRecord record, List<DroppedRecord> dropped, SqliteTransaction tx)
    {
        var insert = Cached("""
            INSERT INTO dropped_records(id, kind, community, reason, dropped) VALUES($id, $kind, $community, $reason, $when)
            ON CONFLICT(id) DO UPDATE SET reason = excluded.reason, dropped = excluded.dropped
            """, tx);
        insert.Parameters.AddWithValue("$id", record.Id.ToArray());
        insert.Parameters.AddWithValue("$kind", (int)record.Kind);
        insert.Parameters.AddWithValue("$community", (object?)record.Community ?? DBNull.Value);
        insert.Parameters.AddWithValue("$reason", record.Reason);
        insert.Parameters.AddWithValue("$when", record.When);
        insert.ExecuteNonQuery();
        dropped.Add(record);
    }

    /// <summary>
    /// Deletes one record whole (its bytes and every derived row; a post also takes the votes on it). Records are
    /// never changed, only dropped entire. Returns the records and bytes freed.
    /// </summary>
    private (long Records, long Bytes) DeleteRecordLocked(InfoHash id, SqliteTransaction tx)
    {
        long records = 0;
        long bytes = 0;
        var key = id.ToArray();
        var delete = Cached("DELETE FROM records WHERE id = $id RETURNING seq, kind, LENGTH(bytes)", tx);
        delete.Parameters.AddWithValue("$id", key);
        long seq;
        RecordKind kind;
        using (var reader = delete.ExecuteReader())
        {
            if (!reader.Read())
            {
                return (0, 0);
            }

            seq = reader.GetInt64(0);
            kind = (RecordKind)reader.GetInt32(1);
            bytes += reader.GetInt64(2);
            records++;
        }

        switch (kind)
        {
            case RecordKind.Post:
                var post = Cached("DELETE FROM posts WHERE seq = $seq RETURNING root, community, retracted", tx);
                post.Parameters.AddWithValue("$seq", seq);
                InfoHash? root = null;
                long community = 0;
                var live = false;
                using (var reader = post.ExecuteReader())
                {
                    if (reader.Read() && !reader.IsDBNull(0))
                    {
                        root = new InfoHash((byte[])reader[0]);
                        community = reader.GetInt64(1);
                        live = reader.GetInt64(2) == 0;
                    }
                }

                if (root is { } thread && live)
                {
                    AdjustCommentCount(thread, community, -1, tx);
                }

                var votes = Cached("""
                    DELETE FROM records WHERE id IN (SELECT record FROM votes WHERE target = $id) RETURNING LENGTH(bytes)
                    """, tx);
                votes.Parameters.AddWithValue("$id", key);
                using (var reader = votes.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        bytes += reader.GetInt64(0);
                        records++;
                    }
                }

                var voteRows = Cached("DELETE FROM votes WHERE target = $id", tx);
                voteRows.Parameters.AddWithValue("$id", key);
                voteRows.ExecuteNonQuery();
                break;
            case RecordKind.Vote:
                var vote = Cached("DELETE FROM votes WHERE record = $id RETURNING target", tx);
                vote.Parameters.AddWithValue("$id", key);
                if (vote.ExecuteScalar() is byte[] target)
                {
                    var rescore = Cached($"""
                        UPDATE posts SET score = {WeightedScoreSql}, raw_score = (SELECT COALESCE(SUM(v.value), 0) FROM votes v WHERE v.target = $target)
                        WHERE seq = (SELECT seq FROM records WHERE id = $target)
                        """, tx);
                    rescore.Parameters.AddWithValue("$target", target);
                    rescore.ExecuteNonQuery();
                }

                break;
            case RecordKind.Label:
                var label = Cached("DELETE FROM labels WHERE seq = $seq", tx);
                label.Parameters.AddWithValue("$seq", seq);
                label.ExecuteNonQuery();
                break;
            case RecordKind.Retract:
                var retraction = Cached("DELETE FROM retractions WHERE record = $id", tx);
                retraction.Parameters.AddWithValue("$id", key);
                retraction.ExecuteNonQuery();
                break;
            case RecordKind.Charter:
                var charter = Cached("DELETE FROM charters WHERE record = $id", tx);
                charter.Parameters.AddWithValue("$id", key);
                charter.ExecuteNonQuery();
                break;
            default:
                break;
        }

        var rest = Cached("DELETE FROM hidden WHERE record = $id; ", tx);
        rest.Parameters.AddWithValue("$id", key);
        rest.ExecuteNonQuery();
        var seeders = Cached("DELETE FROM seeders WHERE record = $id", tx);
        seeders.Parameters.AddWithValue("$id", key);
        seeders.ExecuteNonQuery();
        return (records, bytes);
    }
}
