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
