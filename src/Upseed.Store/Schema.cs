using Microsoft.Data.Sqlite;

namespace Upseed.Store;

/// <summary>
/// Versioned schema migrations. <c>PRAGMA user_version</c> holds the version; each step runs in the same
/// IMMEDIATE transaction as the version bump, so two processes opening one data folder cannot both migrate.
/// Append steps; never edit a released one.
/// </summary>
internal static class Schema
{
    private static readonly string[] s_migrations =
    [
        // 1: records, the forum's derived tables, pins, settings.
        """
        CREATE TABLE authors(
            ref INTEGER PRIMARY KEY,
            key BLOB NOT NULL UNIQUE,
            name TEXT,
            bio TEXT,
            identity_id BLOB,
            identity_created INTEGER,
            -- Score = sum of value * weight over each voter's latest vote. 1 for everyone until trust weighting lands.
            weight INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE communities(
            ref INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        );
        -- Every stored record, as its canonical signed bytes. seq is local arrival order.
        CREATE TABLE records(
            seq INTEGER PRIMARY KEY,
            id BLOB NOT NULL UNIQUE,
            kind INTEGER NOT NULL,
            author INTEGER NOT NULL,
            community INTEGER,
            created INTEGER NOT NULL,
            received INTEGER NOT NULL,
            bytes BLOB NOT NULL
        );
        -- Posts and comments, with what listings sort on. seq = records.seq. Ids of parent and root are kept as ids,
        -- not seqs, because a comment may arrive before its thread.
        CREATE TABLE posts(
            seq INTEGER PRIMARY KEY,
            community INTEGER NOT NULL,
            created INTEGER NOT NULL,
            author INTEGER NOT NULL,
            title TEXT,
            parent BLOB,
            root BLOB,
            score INTEGER NOT NULL DEFAULT 0,
            comments INTEGER NOT NULL DEFAULT 0,
            retracted INTEGER NOT NULL DEFAULT 0
        );
        -- Listings read (created, score) from the index alone, then fetch only the rows they return.
        CREATE INDEX posts_listing ON posts(created, score) WHERE root IS NULL AND retracted = 0;
        CREATE INDEX posts_community_listing ON posts(community, created, score) WHERE root IS NULL AND retracted = 0;
        CREATE INDEX posts_thread ON posts(root) WHERE root IS NOT NULL;
        -- The latest vote of each voter on each target; older ones are dropped when a newer one arrives.
        CREATE TABLE votes(
            target BLOB NOT NULL,
            voter INTEGER NOT NULL,
            value INTEGER NOT NULL,
            created INTEGER NOT NULL,
            record BLOB NOT NULL,
            PRIMARY KEY(target, voter)
        ) WITHOUT ROWID;
        CREATE TABLE retractions(
            target BLOB PRIMARY KEY,
            author INTEGER NOT NULL,
            record BLOB NOT NULL,
            replacement BLOB
        ) WITHOUT ROWID;
        CREATE TABLE labels(
            seq INTEGER PRIMARY KEY,
            moderator INTEGER NOT NULL,
            target BLOB,
            subject BLOB,
            label TEXT NOT NULL,
            community INTEGER
        );
        CREATE INDEX labels_target ON labels(target) WHERE target IS NOT NULL;
        CREATE TABLE charters(
            community INTEGER NOT NULL,
            founder INTEGER NOT NULL,
            created INTEGER NOT NULL,
            record BLOB NOT NULL,
            PRIMARY KEY(community, founder)
        ) WITHOUT ROWID;
        -- What this box seeds, and why (own, upvote, policy, manual). A record may be pinned for several reasons.
        CREATE TABLE pins(
            record BLOB NOT NULL,
            reason TEXT NOT NULL,
            since INTEGER NOT NULL,
            PRIMARY KEY(record, reason)
        ) WITHOUT ROWID;
        CREATE TABLE settings(
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        """,

        // 2: one retraction per target *and* author. Whether a retraction counts is known only once its target is here
        // (only the target's author may retract it), so a stranger's retraction sent ahead of a post must not take
        // the only slot and turn the author's own retraction away.
        """
        CREATE TABLE retractions_v2(
            target BLOB NOT NULL,
            author INTEGER NOT NULL,
            record BLOB NOT NULL,
            replacement BLOB,
            PRIMARY KEY(target, author)
        ) WITHOUT ROWID;
        INSERT INTO retractions_v2(target, author, record, replacement) SELECT target, author, record, replacement FROM retractions;
        DROP TABLE retractions;
        ALTER TABLE retractions_v2 RENAME TO retractions;
        """,

        // 3: trust weights, moderation, seeding policy and seeders.
        // - authors.weight is now in millionths (TrustWeight.Scale): posts.score = sum of value * weight, so it is
        //   the weighted score times a million; posts.raw_score is the plain sum. Weights are recomputed on the first
        //   open after this step (the policy.rebuild setting).
        // - posts.retracted is now a set of flags: 1 retracted by its author, 2 hidden by moderation (the hidden table
        //   says why). 0 still means live, so the listing indexes keep working unchanged.
        """
        ALTER TABLE authors ADD COLUMN first_seen INTEGER;
        ALTER TABLE authors ADD COLUMN work_bits INTEGER;
        UPDATE authors SET first_seen = (SELECT MIN(received) FROM records WHERE records.author = authors.ref);
        ALTER TABLE posts ADD COLUMN raw_score INTEGER NOT NULL DEFAULT 0;
        UPDATE posts SET raw_score = score;
        CREATE INDEX records_author ON records(author);
        CREATE INDEX records_community ON records(community, created);
        CREATE INDEX votes_voter ON votes(voter);
        CREATE INDEX votes_record ON votes(record);
        CREATE INDEX labels_subject ON labels(subject) WHERE subject IS NOT NULL;
        CREATE INDEX labels_moderator ON labels(moderator);
        -- Identities whose votes count in full here (beside the keys in the data folder and whom those upvoted).
        CREATE TABLE follows(
            key BLOB PRIMARY KEY,
            since INTEGER NOT NULL
        ) WITHOUT ROWID;
        -- Moderators followed by hand; community '' means every community.
        CREATE TABLE moderators(
            key BLOB NOT NULL,
            community TEXT NOT NULL,
            since INTEGER NOT NULL,
            PRIMARY KEY(key, community)
        ) WITHOUT ROWID;
        -- Local blocks: kind is author (lowercase hex key), community (name) or word (a .NET regex).
        CREATE TABLE blocks(
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            since INTEGER NOT NULL,
            PRIMARY KEY(kind, value)
        ) WITHOUT ROWID;
        -- Stored records this box neither lists nor seeds, and why. A row may name a record not here yet (a label or
        -- a retraction that arrived first).
        CREATE TABLE hidden(
            record BLOB NOT NULL,
            reason TEXT NOT NULL,
            source TEXT NOT NULL,
            detail TEXT,
            since INTEGER NOT NULL,
            PRIMARY KEY(record, reason, source)
        ) WITHOUT ROWID;
        CREATE INDEX hidden_source ON hidden(reason, source);
        -- What the seeding policy dropped and why, for the admin; also keeps dropped records from coming straight back.
        CREATE TABLE dropped_records(
            id BLOB PRIMARY KEY,
            kind INTEGER NOT NULL,
            community TEXT,
            reason TEXT NOT NULL,
            dropped INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX dropped_when ON dropped_records(dropped);
        -- Who else seeds a record, per source (peer bitfields, DHT scrape, sync peers), with when it was last seen.
        CREATE TABLE seeders(
            record BLOB NOT NULL,
            source TEXT NOT NULL,
            peer TEXT NOT NULL,
            count INTEGER NOT NULL,
            seen INTEGER NOT NULL,
            PRIMARY KEY(record, source, peer)
        ) WITHOUT ROWID;
        CREATE INDEX seeders_seen ON seeders(seen);
        INSERT INTO settings(key, value) VALUES('policy.rebuild', '1') ON CONFLICT(key) DO UPDATE SET value = '1';
        """,
    ];

    public static int LatestVersion => s_migrations.Length;

    public static void Migrate(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var version = Convert.ToInt32(Scalar(connection, transaction, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > s_migrations.Length)
        {
            throw new InvalidOperationException(
                $"The data folder's schema is version {version}, newer than this program knows ({s_migrations.Length}). Upgrade Upseed.");
        }

        for (var step = version; step < s_migrations.Length; step++)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = s_migrations[step] + $"\nPRAGMA user_version = {step + 1};";
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
