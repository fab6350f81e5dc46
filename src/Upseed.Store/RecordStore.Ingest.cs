using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Upseed.Metainfo;
using Upseed.Records;

namespace Upseed.Store;

public sealed partial class RecordStore
{
    /// <summary>Validates and stores one record. Accepted means committed.</summary>
    public IngestResult Ingest(ReadOnlyMemory<byte> bytes) => IngestMany([bytes])[0];

    /// <summary>
    /// Validates and stores a batch in one transaction (one fsync for the batch). Each record gets its own result;
    /// a refused record changes nothing and does not stop the others.
    /// </summary>
    public IReadOnlyList<IngestResult> IngestMany(IReadOnlyList<ReadOnlyMemory<byte>> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var results = new IngestResult?[batch.Count];
        var decoded = new SignedRecord?[batch.Count];
        var options = ValidationOptions;

        // Structure first, outside the lock: cheap, and it yields each record's id.
        for (var i = 0; i < batch.Count; i++)
        {
            if (RecordCodec.TryDecode(batch[i], options, out var record, out var rejection))
            {
                decoded[i] = record;
            }
            else
            {
                results[i] = IngestResult.Rejected(rejection);
            }
        }

        lock (_gate)
        {
            // The write lock is taken first, so "is it new?" and "store it" see the same database even when another
            // process (the CLI beside a node) writes to the folder too.
            using var transaction = _connection.BeginTransaction(deferred: false);
            RefreshPolicyLocked(transaction);

            // A replay is spotted by id before paying for a signature check.
            var seen = new HashSet<InfoHash>();
            for (var i = 0; i < batch.Count; i++)
            {
                if (decoded[i] is { } record && (!seen.Add(record.Id) || ExistsLocked(record.Id, transaction)))
                {
                    results[i] = IngestResult.Duplicate(record.Id);
                }
            }

            // Signatures and proof of work: no database work, so a large batch spreads them over several threads.
            void Authenticate(int i)
            {
                if (decoded[i] is { } record && results[i] is null)
                {
                    var rejection = RecordCodec.Authenticate(record, RequiredWork(record.Kind, record.Community));
                    if (rejection is not null)
                    {
                        results[i] = IngestResult.Rejected(rejection, record.Id);
                    }
                }
            }

            if (batch.Count >= 16 && _options.VerifyParallelism > 1)
            {
                Parallel.For(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.VerifyParallelism }, Authenticate);
            }
            else
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    Authenticate(i);
                }
            }

            var received = Now();
            for (var i = 0; i < batch.Count; i++)
            {
                if (decoded[i] is { } record && results[i] is null)
                {
                    results[i] = ApplyChecked(record, received, transaction);
                }
            }

            transaction.Commit();
        }

        foreach (var result in results)
        {
            if (result!.Outcome == IngestOutcome.Rejected)
            {
                LogRefused(_logger, result.Id, result.Rejection);
            }
        }

        return results!;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused record {Id}: {Reason}")]
    private static partial void LogRefused(ILogger logger, InfoHash? id, RecordRejection? reason);

    /// <summary>
    /// Stores records this process has already authenticated (made by <see cref="RecordFactory"/>, or passed
    /// <see cref="RecordCodec.TryParse"/>), skipping the signature check. For bulk generation and local writes.
    /// </summary>
    public IReadOnlyList<IngestResult> IngestAuthenticated(IReadOnlyList<SignedRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var results = new IngestResult[records.Count];
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            RefreshPolicyLocked(transaction);
            var received = Now();
            for (var i = 0; i < records.Count; i++)
            {
                results[i] = ApplyOne(records[i], received, transaction);
            }

            transaction.Commit();
        }

        return results;
    }

    private IngestResult ApplyOne(SignedRecord record, long received, SqliteTransaction transaction) =>
        ExistsLocked(record.Id, transaction) ? IngestResult.Duplicate(record.Id) : ApplyChecked(record, received, transaction);

    /// <summary>Applies a record known to be new and authentic.</summary>
    private IngestResult ApplyChecked(SignedRecord record, long received, SqliteTransaction transaction)
    {
        // Every Apply* method runs its checks (reads) before its first write, so a refusal leaves no trace and
        // the rest of the batch still commits.
        var rejection = RefusalLocked(record, transaction, checkDropped: true) ?? Apply(record, received, transaction);
        return rejection is null ? IngestResult.Accepted(record) : IngestResult.Rejected(rejection, record.Id);
    }

    private bool ExistsLocked(InfoHash id, SqliteTransaction? transaction)
    {
        var command = Cached("SELECT 1 FROM records WHERE id = $id", transaction);
        command.Parameters.AddWithValue("$id", id.ToArray());
        return command.ExecuteScalar() is not null;
    }

    // Checks that need other records come first; writes follow only once the record is sure to be accepted.
    private RecordRejection? Apply(SignedRecord record, long received, SqliteTransaction tx) => record switch
    {
        PostRecord post => ApplyPost(post, received, tx),
        VoteRecord vote => ApplyVote(vote, received, tx),
        IdentityRecord identity => ApplyIdentity(identity, received, tx),
        RetractRecord retract => ApplyRetract(retract, received, tx),
        LabelRecord label => ApplyLabel(label, received, tx),
        CharterRecord charter => ApplyCharter(charter, received, tx),
        _ => new RecordRejection(RejectReason.UnknownKind, "This store does not know the record's kind."),
    };

    private RecordRejection? ApplyPost(PostRecord post, long received, SqliteTransaction tx)
    {
        if (post.Parent is { } parentId)
        {
            var parent = Cached("""
                SELECT c.name, p.root FROM records r
                JOIN posts p ON p.seq = r.seq JOIN communities c ON c.ref = p.community
                WHERE r.id = $id
                """, tx);
            parent.Parameters.AddWithValue("$id", parentId.ToArray());
            using var reader = parent.ExecuteReader();
            if (reader.Read())
            {
                if (reader.GetString(0) != post.CommunityName)
                {
                    return new(RejectReason.Inconsistent, "The comment's community differs from the thread it answers.");
                }

                var expectedRoot = reader.IsDBNull(1) ? parentId : new InfoHash((byte[])reader[1]);
                if (expectedRoot != post.Root)
                {
                    return new(RejectReason.Inconsistent, $"The comment names root {post.Root}, but its parent belongs to thread {expectedRoot}.");
                }
            }
        }

        var community = CommunityRef(post.CommunityName, tx);
        var author = AuthorRef(post.Author, tx);
        var seq = InsertRecord(post, author, community, received, tx);
        var retracted = IsRetractedBy(post.Id, author, tx);
        var insert = Cached("""
            INSERT INTO posts(seq, community, created, author, title, parent, root, score, raw_score, comments, retracted)
            VALUES($seq, $community, $created, $author, $title, $parent, $root,
                   (SELECT COALESCE(SUM(v.value * a.weight), 0) FROM votes v JOIN authors a ON a.ref = v.voter WHERE v.target = $id),
                   (SELECT COALESCE(SUM(v.value), 0) FROM votes v WHERE v.target = $id),
                   CASE WHEN $root IS NULL THEN (SELECT COUNT(*) FROM posts WHERE root = $id AND retracted = 0 AND community = $community) ELSE 0 END,
                   $retracted)
            """, tx);
        insert.Parameters.AddWithValue("$seq", seq);
        insert.Parameters.AddWithValue("$community", community);
        insert.Parameters.AddWithValue("$created", post.Created);
        insert.Parameters.AddWithValue("$author", author);
        insert.Parameters.AddWithValue("$title", (object?)post.Title ?? DBNull.Value);
        insert.Parameters.AddWithValue("$parent", post.Parent is { } p ? p.ToArray() : DBNull.Value);
        insert.Parameters.AddWithValue("$root", post.Root is { } r ? r.ToArray() : DBNull.Value);
        insert.Parameters.AddWithValue("$id", post.Id.ToArray());
        insert.Parameters.AddWithValue("$retracted", retracted ? 1 : 0);
        insert.ExecuteNonQuery();

        if (post.Root is { } root && !retracted)
        {
            AdjustCommentCount(root, community, +1, tx);
        }

        if (retracted && RetractionOf(post.Id, author, tx) is { } retraction)
        {
            HideLocked(post.Id, HideReason.Retracted, retraction.Id.ToHex(), retraction.Replacement?.ToHex(), tx);
        }

        ApplyLabelsToNewPostLocked(post, tx);
        if (_members.Contains(post.AuthorHex))
        {
            PinLocked(post.Id, PinReason.Own, tx);
        }

        return null;
    }

    private RecordRejection? ApplyVote(VoteRecord vote, long received, SqliteTransaction tx)
    {
        var existing = Cached("""
            SELECT v.created, v.record FROM votes v JOIN authors a ON a.ref = v.voter WHERE v.target = $target AND a.key = $key
            """, tx);
        existing.Parameters.AddWithValue("$target", vote.Target.ToArray());
        existing.Parameters.AddWithValue("$key", vote.Author.ToArray());
        if (!TryReplaceOlder(existing, vote, tx))
        {
            return new(RejectReason.Superseded, "This voter has a newer vote on the same record.");
        }

        var voter = AuthorRef(vote.Author, tx);
        InsertRecord(vote, voter, CommunityRef(vote.CommunityName, tx), received, tx);
        var upsert = Cached("""
            INSERT INTO votes(target, voter, value, created, record) VALUES($target, $voter, $value, $created, $record)
            ON CONFLICT(target, voter) DO UPDATE SET value = excluded.value, created = excluded.created, record = excluded.record
            """, tx);
        upsert.Parameters.AddWithValue("$target", vote.Target.ToArray());
        upsert.Parameters.AddWithValue("$voter", voter);
        upsert.Parameters.AddWithValue("$value", vote.Value);
        upsert.Parameters.AddWithValue("$created", vote.Created);
        upsert.Parameters.AddWithValue("$record", vote.Id.ToArray());
        upsert.ExecuteNonQuery();

        var score = Cached("""
            UPDATE posts SET score = (SELECT COALESCE(SUM(v.value * a.weight), 0) FROM votes v JOIN authors a ON a.ref = v.voter WHERE v.target = $target),
                raw_score = (SELECT COALESCE(SUM(v.value), 0) FROM votes v WHERE v.target = $target)
            WHERE seq = (SELECT seq FROM records WHERE id = $target)
            RETURNING author
            """, tx);
        score.Parameters.AddWithValue("$target", vote.Target.ToArray());
        var targetAuthor = score.ExecuteScalar() as long?;

        // Upvote = seed (DESIGN.md "Votes are seeds"): a member's +1 pins the target, a -1 or a withdrawal unpins it,
        // whichever path the vote came by (CLI, web, another box of the same person). A member's vote also changes
        // whom the box trusts: the authors its members upvote vote with full weight.
        if (_members.Contains(vote.AuthorHex))
        {
            if (vote.Value > 0)
            {
                PinLocked(vote.Target, PinReason.Upvote, tx);
            }
            else
            {
                var unpin = Cached("DELETE FROM pins WHERE record = $id AND reason = $reason", tx);
                unpin.Parameters.AddWithValue("$id", vote.Target.ToArray());
                unpin.Parameters.AddWithValue("$reason", PinReason.Upvote);
                unpin.ExecuteNonQuery();
            }

            if (targetAuthor is { } upvoted)
            {
                RecomputeAuthorLocked(upvoted, tx);
            }
        }

        return null;
    }

    private RecordRejection? ApplyIdentity(IdentityRecord identity, long received, SqliteTransaction tx)
    {
        var current = Cached("SELECT identity_created, identity_id FROM authors WHERE key = $key", tx);
        current.Parameters.AddWithValue("$key", identity.Author.ToArray());
        if (!TryReplaceOlder(current, identity, tx))
        {
            return new(RejectReason.Superseded, "This author already has a newer identity record.");
        }

        var author = AuthorRef(identity.Author, tx);
        InsertRecord(identity, author, null, received, tx);
        var update = Cached("""
            UPDATE authors SET name = $name, bio = $bio, identity_id = $id, identity_created = $created, work_bits = $bits WHERE ref = $ref
            """, tx);
        update.Parameters.AddWithValue("$bits", RecordCodec.WorkBits(identity));
        update.Parameters.AddWithValue("$name", identity.Name);
        update.Parameters.AddWithValue("$bio", (object?)identity.Bio ?? DBNull.Value);
        update.Parameters.AddWithValue("$id", identity.Id.ToArray());
        update.Parameters.AddWithValue("$created", identity.Created);
        update.Parameters.AddWithValue("$ref", author);
        update.ExecuteNonQuery();
        RecomputeAuthorLocked(author, tx);
        if (_members.Contains(identity.AuthorHex))
        {
            PinLocked(identity.Id, PinReason.Own, tx);
        }

        return null;
    }

    private RecordRejection? ApplyRetract(RetractRecord retract, long received, SqliteTransaction tx)
    {
        var target = Cached("SELECT a.key FROM records r JOIN authors a ON a.ref = r.author WHERE r.id = $id", tx);
        target.Parameters.AddWithValue("$id", retract.Target.ToArray());
        var targetAuthor = target.ExecuteScalar() as byte[];
        if (targetAuthor is not null && !targetAuthor.AsSpan().SequenceEqual(retract.Author.Span))
        {
            return new(RejectReason.Inconsistent, "Only a record's author can retract it.");
        }

        var existing = Cached("""
            SELECT 1 FROM retractions x JOIN authors a ON a.ref = x.author WHERE x.target = $id AND a.key = $key
            """, tx);
        existing.Parameters.AddWithValue("$id", retract.Target.ToArray());
        existing.Parameters.AddWithValue("$key", retract.Author.ToArray());
        if (existing.ExecuteScalar() is not null)
        {
            return new(RejectReason.Superseded, "The record is already retracted.");
        }

        var author = AuthorRef(retract.Author, tx);
        InsertRecord(retract, author, CommunityRef(retract.CommunityName, tx), received, tx);
        var insert = Cached("INSERT INTO retractions(target, author, record, replacement) VALUES($target, $author, $record, $replacement)", tx);
        insert.Parameters.AddWithValue("$target", retract.Target.ToArray());
        insert.Parameters.AddWithValue("$author", author);
        insert.Parameters.AddWithValue("$record", retract.Id.ToArray());
        insert.Parameters.AddWithValue("$replacement", retract.Replacement is { } r ? r.ToArray() : DBNull.Value);
        insert.ExecuteNonQuery();

        // The original stays stored, byte for byte (retention of truth); it is no longer listed as live nor seeded, and
        // threads show it as retracted, with the replacement for an edit.
        if (targetAuthor is not null)
        {
            SetPostFlagLocked(retract.Target, PostFlags.Retracted, true, tx);
            HideLocked(retract.Target, HideReason.Retracted, retract.Id.ToHex(), retract.Replacement?.ToHex(), tx);
        }

        return null;
    }

    private RecordRejection? ApplyLabel(LabelRecord label, long received, SqliteTransaction tx)
    {
        var moderator = AuthorRef(label.Author, tx);
        long? community = label.CommunityName is null ? null : CommunityRef(label.CommunityName, tx);
        var seq = InsertRecord(label, moderator, community, received, tx);
        var insert = Cached("""
            INSERT INTO labels(seq, moderator, target, subject, label, community) VALUES($seq, $moderator, $target, $subject, $label, $community)
            """, tx);
        insert.Parameters.AddWithValue("$seq", seq);
        insert.Parameters.AddWithValue("$moderator", moderator);
        insert.Parameters.AddWithValue("$target", label.Target is { } t ? t.ToArray() : DBNull.Value);
        insert.Parameters.AddWithValue("$subject", label.Subject is { } s ? s.ToArray() : DBNull.Value);
        insert.Parameters.AddWithValue("$label", label.Label);
        insert.Parameters.AddWithValue("$community", (object?)community ?? DBNull.Value);
        insert.ExecuteNonQuery();

        var moderatorHex = label.AuthorHex;
        foreach (var id in LabelledLocked(moderatorHex, label.Target?.ToArray(), label.Subject?.ToArray(), label.Label, label.CommunityName, tx))
        {
            HideLocked(id, HideReason.Label, moderatorHex, label.Label, tx);
        }

        return null;
    }

    private RecordRejection? ApplyCharter(CharterRecord charter, long received, SqliteTransaction tx)
    {
        var existing = Cached("""
            SELECT ch.created, ch.record FROM charters ch
            JOIN authors a ON a.ref = ch.founder JOIN communities c ON c.ref = ch.community
            WHERE c.name = $community AND a.key = $key
            """, tx);
        existing.Parameters.AddWithValue("$community", charter.CommunityName);
        existing.Parameters.AddWithValue("$key", charter.Author.ToArray());
        if (!TryReplaceOlder(existing, charter, tx))
        {
            return new(RejectReason.Superseded, "This founder already has a newer charter for the community.");
        }

        var founder = AuthorRef(charter.Author, tx);
        var community = CommunityRef(charter.CommunityName, tx);
        InsertRecord(charter, founder, community, received, tx);
        var upsert = Cached("""
            INSERT INTO charters(community, founder, created, record) VALUES($community, $founder, $created, $record)
            ON CONFLICT(community, founder) DO UPDATE SET created = excluded.created, record = excluded.record
            """, tx);
        upsert.Parameters.AddWithValue("$community", community);
        upsert.Parameters.AddWithValue("$founder", founder);
        upsert.Parameters.AddWithValue("$created", charter.Created);
        upsert.Parameters.AddWithValue("$record", charter.Id.ToArray());
        upsert.ExecuteNonQuery();
        if (_members.Contains(charter.AuthorHex))
        {
            PinLocked(charter.Id, PinReason.Own, tx);
        }

        // A charter may change whose labels count and the community's difficulty, here and in other processes.
        BumpPolicyVersionLocked(tx);
        ApplyLabelsLocked(tx);
        return null;
    }

    /// <summary>
    /// Latest-wins records (a voter's vote on a target, an author's identity, a founder's charter): reads the stored
    /// one's (created, id) from <paramref name="existing"/>. False when it is newer (ties broken by id, so every node
    /// picks the same one); otherwise deletes the older record and returns true.
    /// </summary>
    private bool TryReplaceOlder(SqliteCommand existing, SignedRecord record, SqliteTransaction tx)
    {
        InfoHash? replaced = null;
        using (var reader = existing.ExecuteReader())
        {
            if (reader.Read() && !reader.IsDBNull(0))
            {
                var created = reader.GetInt64(0);
                var id = new InfoHash((byte[])reader[1]);
                if (created > record.Created || (created == record.Created && id >= record.Id))
                {
                    return false;
                }

                replaced = id;
            }
        }

        if (replaced is { } old)
        {
            DeleteRecord(old, tx);
        }

        return true;
    }

    private long InsertRecord(SignedRecord record, long author, long? community, long received, SqliteTransaction tx)
    {
        var insert = Cached("""
            INSERT INTO records(id, kind, author, community, created, received, bytes)
            VALUES($id, $kind, $author, $community, $created, $received, $bytes)
            RETURNING seq
            """, tx);
        insert.Parameters.AddWithValue("$id", record.Id.ToArray());
        insert.Parameters.AddWithValue("$kind", (int)record.Kind);
        insert.Parameters.AddWithValue("$author", author);
        insert.Parameters.AddWithValue("$community", (object?)community ?? DBNull.Value);
        insert.Parameters.AddWithValue("$created", record.Created);
        insert.Parameters.AddWithValue("$received", received);
        insert.Parameters.Add("$bytes", SqliteType.Blob).Value = record.Bytes.ToArray();
        return (long)insert.ExecuteScalar()!;
    }

    private void DeleteRecord(InfoHash id, SqliteTransaction tx)
    {
        var delete = Cached("DELETE FROM records WHERE id = $id", tx);
        delete.Parameters.AddWithValue("$id", id.ToArray());
        delete.ExecuteNonQuery();
    }

    private (InfoHash Id, InfoHash? Replacement)? RetractionOf(InfoHash id, long author, SqliteTransaction tx)
    {
        var query = Cached("SELECT record, replacement FROM retractions WHERE target = $id AND author = $author", tx);
        query.Parameters.AddWithValue("$id", id.ToArray());
        query.Parameters.AddWithValue("$author", author);
        using var reader = query.ExecuteReader();
        return reader.Read()
            ? (new InfoHash((byte[])reader[0]), reader.IsDBNull(1) ? null : new InfoHash((byte[])reader[1]))
            : null;
    }

    private void PinLocked(InfoHash id, string reason, SqliteTransaction tx)
    {
        var pin = Cached("INSERT OR IGNORE INTO pins(record, reason, since) VALUES($id, $reason, $since)", tx);
        pin.Parameters.AddWithValue("$id", id.ToArray());
        pin.Parameters.AddWithValue("$reason", reason);
        pin.Parameters.AddWithValue("$since", Now());
        pin.ExecuteNonQuery();
    }

    private bool IsRetractedBy(InfoHash id, long author, SqliteTransaction tx)
    {
        var query = Cached("SELECT 1 FROM retractions WHERE target = $id AND author = $author", tx);
        query.Parameters.AddWithValue("$id", id.ToArray());
        query.Parameters.AddWithValue("$author", author);
        return query.ExecuteScalar() is not null;
    }

    // Only comments in the root's community count: one that arrived before its thread could not be checked then.
    private void AdjustCommentCount(InfoHash root, long community, int delta, SqliteTransaction tx)
    {
        var update = Cached("""
            UPDATE posts SET comments = comments + $delta
            WHERE seq = (SELECT seq FROM records WHERE id = $root) AND community = $community
            """, tx);
        update.Parameters.AddWithValue("$delta", delta);
        update.Parameters.AddWithValue("$root", root.ToArray());
        update.Parameters.AddWithValue("$community", community);
        update.ExecuteNonQuery();
    }

    private long AuthorRef(ReadOnlyMemory<byte> key, SqliteTransaction tx)
    {
        var find = Cached("SELECT ref FROM authors WHERE key = $key", tx);
        find.Parameters.AddWithValue("$key", key.ToArray());
        if (find.ExecuteScalar() is long existing)
        {
            return existing;
        }

        // A new author's weight: full for members and followed keys, 0 if blocked, else that of a fresh unknown voter.
        var bytes = key.ToArray();
        var insert = Cached("INSERT INTO authors(key, first_seen, weight) VALUES($key, $now, $weight) RETURNING ref", tx);
        insert.Parameters.AddWithValue("$key", bytes);
        insert.Parameters.AddWithValue("$now", Now());
        insert.Parameters.AddWithValue("$weight", ComputeTrustLocked(bytes, tx).Weight);
        return (long)insert.ExecuteScalar()!;
    }

    private long CommunityRef(string name, SqliteTransaction tx)
    {
        var find = Cached("SELECT ref FROM communities WHERE name = $name", tx);
        find.Parameters.AddWithValue("$name", name);
        if (find.ExecuteScalar() is long existing)
        {
            return existing;
        }

        var insert = Cached("INSERT INTO communities(name) VALUES($name) RETURNING ref", tx);
        insert.Parameters.AddWithValue("$name", name);
        return (long)insert.ExecuteScalar()!;
    }
}
