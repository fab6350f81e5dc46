using Microsoft.Data.Sqlite;

namespace Upseed.Mqtt.Outbox;

/// <summary>
/// The bridge's persistent state in a SQLite database file (the node's own store database; only the tables below are
/// touched, each created with <c>CREATE TABLE IF NOT EXISTS</c>):
/// <list type="bullet">
/// <item><c>mqtt_outbox</c>: records waiting to be published, in order (<c>seq</c>); a row is deleted only after the
/// broker's PUBACK, so records accepted while the broker is away go out when it returns, and a crash re-sends at most
/// what was in flight (receivers deduplicate by record id).</item>
/// <item><c>mqtt_seen</c>: ids of records that arrived over MQTT, for inbound deduplication and so the bridge never
/// publishes back what it received (no loops). Bounded: the oldest ids are dropped past <see cref="MaxSeenIds"/>.</item>
/// </list>
/// WAL mode with <c>synchronous=FULL</c>: an accepted record is on disk before <see cref="Enqueue"/> returns.
/// One instance holds one connection and serialises its callers.
/// </summary>
public sealed class SqliteOutboundQueue : IDisposable
{
    /// <summary>Seen ids kept for deduplication. 200,000 ids of 20 bytes is a few MB; older duplicates are still caught by the store.</summary>
    public const int MaxSeenIds = 200_000;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private long _count;
    private long _seenInserts;

    private SqliteOutboundQueue(string databasePath, SqliteConnection connection)
    {
        DatabasePath = databasePath;
        _connection = connection;
    }

    public string DatabasePath { get; }

    /// <summary>Records queued and not yet acknowledged by the broker.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Opens (creating if needed) the queue tables in the database at <paramref name="databasePath"/>.</summary>
    /// <exception cref="SqliteException">The file cannot be opened or is not a SQLite database.</exception>
    public static SqliteOutboundQueue Open(string databasePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        SQLitePCL.Batteries_V2.Init();
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = 30,
        };
        var connection = new SqliteConnection(builder.ConnectionString);
        try
        {
            connection.Open();
            Execute(connection, """
                PRAGMA busy_timeout = 30000;
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                CREATE TABLE IF NOT EXISTS mqtt_outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    record_id BLOB NOT NULL UNIQUE,
                    topic TEXT NOT NULL,
                    payload BLOB NOT NULL,
                    enqueued_at INTEGER NOT NULL
                );
                CREATE TABLE IF NOT EXISTS mqtt_seen (
                    record_id BLOB PRIMARY KEY,
                    seen_at INTEGER NOT NULL
                );
                CREATE INDEX IF NOT EXISTS mqtt_seen_by_time ON mqtt_seen(seen_at);
                """);
            var queue = new SqliteOutboundQueue(databasePath, connection);
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM mqtt_outbox";
            queue._count = (long)count.ExecuteScalar()!;
            return queue;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Queues one record; false when a record with this id is already queued.</summary>
    public bool Enqueue(ReadOnlyMemory<byte> recordId, string topic, ReadOnlyMemory<byte> payload) =>
        EnqueueMany([(recordId, topic, payload)])[0];

    /// <summary>Queues records in one transaction, in the given order; for each, whether it was new (false: already queued).</summary>
    public IReadOnlyList<bool> EnqueueMany(IReadOnlyList<(ReadOnlyMemory<byte> RecordId, string Topic, ReadOnlyMemory<byte> Payload)> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var results = new bool[records.Count];
        if (records.Count == 0)
        {
            return results;
        }

        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT OR IGNORE INTO mqtt_outbox(record_id, topic, payload, enqueued_at) VALUES($id, $topic, $payload, unixepoch())";
            var id = command.Parameters.Add("$id", SqliteType.Blob);
            var topic = command.Parameters.Add("$topic", SqliteType.Text);
            var payload = command.Parameters.Add("$payload", SqliteType.Blob);
            var added = 0;
            for (var i = 0; i < records.Count; i++)
            {
                id.Value = records[i].RecordId.ToArray();
                topic.Value = records[i].Topic;
                payload.Value = records[i].Payload.ToArray();
                results[i] = command.ExecuteNonQuery() == 1;
                added += results[i] ? 1 : 0;
            }

            transaction.Commit();
            Interlocked.Add(ref _count, added);
            return results;
        }
    }

    /// <summary>Up to <paramref name="limit"/> queued records after <paramref name="afterSequence"/>, oldest first.</summary>
    public IReadOnlyList<OutboundMessage> ReadBatch(long afterSequence, int limit)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT seq, record_id, topic, payload FROM mqtt_outbox WHERE seq > $after ORDER BY seq LIMIT $limit";
            command.Parameters.AddWithValue("$after", afterSequence);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var batch = new List<OutboundMessage>();
            while (reader.Read())
            {
                batch.Add(new OutboundMessage(reader.GetInt64(0), (byte[])reader[1], reader.GetString(2), (byte[])reader[3]));
            }

            return batch;
        }
    }

    /// <summary>Removes acknowledged records in one transaction.</summary>
    public void Delete(IReadOnlyCollection<long> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM mqtt_outbox WHERE seq = $seq";
            var seq = command.Parameters.Add("$seq", SqliteType.Integer);
            var removed = 0;
            foreach (var sequence in sequences)
            {
                seq.Value = sequence;
                removed += command.ExecuteNonQuery();
            }

            transaction.Commit();
            Interlocked.Add(ref _count, -removed);
        }
    }

    /// <summary>Whether a record with this id arrived over MQTT.</summary>
    public bool WasReceived(ReadOnlySpan<byte> recordId)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT 1 FROM mqtt_seen WHERE record_id = $id";
            command.Parameters.AddWithValue("$id", recordId.ToArray());
            return command.ExecuteScalar() is not null;
        }
    }

    /// <summary>Remembers ids that arrived over MQTT, in one transaction, dropping the oldest past <see cref="MaxSeenIds"/>.</summary>
    public void MarkReceived(IReadOnlyList<ReadOnlyMemory<byte>> recordIds)
    {
        ArgumentNullException.ThrowIfNull(recordIds);
        if (recordIds.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT OR IGNORE INTO mqtt_seen(record_id, seen_at) VALUES($id, unixepoch())";
            var id = command.Parameters.Add("$id", SqliteType.Blob);
            foreach (var recordId in recordIds)
            {
                id.Value = recordId.ToArray();
                _seenInserts += command.ExecuteNonQuery();
            }

            // Prune now and then, not on every batch: counting the table costs a scan.
            if (_seenInserts >= 10_000)
            {
                _seenInserts = 0;
                using var prune = _connection.CreateCommand();
                prune.Transaction = transaction;
                prune.CommandText = "DELETE FROM mqtt_seen WHERE rowid IN (SELECT rowid FROM mqtt_seen ORDER BY seen_at LIMIT max(0, (SELECT COUNT(*) FROM mqtt_seen) - $max))";
                prune.Parameters.AddWithValue("$max", MaxSeenIds);
                prune.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
