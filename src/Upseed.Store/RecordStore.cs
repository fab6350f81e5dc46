using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Upseed.Metainfo;
using Upseed.Records;

namespace Upseed.Store;

/// <summary>
/// The record store of one data folder: SQLite in WAL mode, so the CLI and a running node can use the same folder at
/// once. Ingest is idempotent and every accepted record is committed before it is acknowledged. One instance holds
/// one connection and serialises its callers; open one per process (or per worker) as needed.
/// </summary>
public sealed partial class RecordStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly StoreOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private Dictionary<string, string> _settings = new(StringComparer.Ordinal);

    private RecordStore(string dataFolder, SqliteConnection connection, StoreOptions options, ILogger logger)
    {
        DataFolder = dataFolder;
        _connection = connection;
        _options = options;
        _logger = logger;
        ValidationOptions = new RecordValidationOptions { Clock = options.Clock, RequiredWork = RequiredWork };
        Forum = new ForumQueries(this);
    }

    public string DataFolder { get; }

    public string DatabasePath => Path.Combine(DataFolder, _options.DatabaseFileName);

    /// <summary>Validation options that use this store's clock and proof-of-work settings.</summary>
    public RecordValidationOptions ValidationOptions { get; }

    /// <summary>Listings and threads.</summary>
    public ForumQueries Forum { get; }

    internal TimeProvider Clock => _options.Clock;

    /// <summary>Opens (creating and migrating if needed) the store in a data folder.</summary>
    public static RecordStore Open(string dataFolder, StoreOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataFolder);
        options ??= new StoreOptions();
        Directory.CreateDirectory(dataFolder);
        SQLitePCL.Batteries_V2.Init();
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataFolder, options.DatabaseFileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = (int)options.BusyTimeout.TotalSeconds,
        };
        var connection = new SqliteConnection(builder.ConnectionString);
        try
        {
            connection.Open();
            Execute(connection, $"""
                PRAGMA busy_timeout = {(int)options.BusyTimeout.TotalMilliseconds};
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = {(options.SynchronousFull ? "FULL" : "NORMAL")};
                PRAGMA foreign_keys = OFF;
                PRAGMA temp_store = MEMORY;
                """);
            Schema.Migrate(connection);
            Execute(connection, "CREATE TEMP TABLE members(key BLOB PRIMARY KEY) WITHOUT ROWID;");

            // Scores are stored in millionths of a vote (TrustWeight.Scale).
            connection.CreateFunction(
                "hot",
                (long score, long created, long now) => Ranking.Hot(TrustWeight.ToVotes(score), created, now),
                isDeterministic: true);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        var store = new RecordStore(dataFolder, connection, options, logger ?? NullLogger.Instance);
        try
        {
            store.ReloadSettings();
            store.RebuildIfNeeded();
        }
        catch
        {
            store.Dispose();
            throw;
        }

        return store;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _commands.Clear();
            _connection.Dispose();
        }
    }

    // ---------- settings ----------

    public string? GetSetting(string key)
    {
        lock (_gate)
        {
            return _settings.TryGetValue(key, out var value) ? value : null;
        }
    }

    /// <summary>Every setting's key, in order.</summary>
    public IReadOnlyList<string> SettingKeys()
    {
        lock (_gate)
        {
            return [.. _settings.Keys.Order(StringComparer.Ordinal)];
        }
    }

    public void SetSetting(string key, string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            using var command = Command(value is null
                ? "DELETE FROM settings WHERE key = $key"
                : "INSERT INTO settings(key, value) VALUES($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
            command.Parameters.AddWithValue("$key", key);
            if (value is not null)
            {
                command.Parameters.AddWithValue("$value", value);
            }

            command.ExecuteNonQuery();

            // Settings are policy: other processes on this folder reload when the version moves.
            using var bump = Command($"INSERT INTO settings(key, value) VALUES('{PolicyVersionSetting}', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)");
            bump.ExecuteNonQuery();
            ReloadSettingsLocked(null);
        }
    }

    /// <summary>Re-reads settings another process may have changed.</summary>
    public void ReloadSettings()
    {
        lock (_gate)
        {
            RefreshMembersLocked(null);
            ReloadSettingsLocked(null);
        }
    }

    /// <summary>
    /// Proof-of-work difficulty required here. Settings: <c>pow.identity</c>, <c>pow.post</c>, and
    /// <c>pow.post.&lt;community&gt;</c> for one community; otherwise the defaults in <see cref="RecordValidationOptions"/>.
    /// A community's effective charter (<see cref="TryGetCharter"/>) may raise, never lower, the difficulty for its
    /// posts; a <c>pow.post.&lt;community&gt;</c> setting overrides the charter.
    /// </summary>
    public int RequiredWork(RecordKind kind, string? community)
    {
        var settings = Volatile.Read(ref _settings);
        string? value = null;
        if (kind == RecordKind.Identity)
        {
            settings.TryGetValue("pow.identity", out value);
        }
        else if (kind == RecordKind.Post)
        {
            if (community is not null && settings.TryGetValue("pow.post." + community, out var own)
                && int.TryParse(own, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ownBits))
            {
                return ownBits;
            }

            settings.TryGetValue("pow.post", out value);
        }

        var required = value is not null && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bits)
            ? bits
            : RecordValidationOptions.DefaultRequiredWork(kind, community);
        if (kind == RecordKind.Post && community is not null
            && Volatile.Read(ref _policy).Charters.TryGetValue(community, out var charter) && charter.PostDifficulty is { } asked)
        {
            required = Math.Max(required, Math.Min(asked, Upseed.Crypto.ProofOfWork.MaxDifficulty));
        }

        return required;
    }

    // ---------- reads ----------

    public bool Contains(InfoHash id)
    {
        lock (_gate)
        {
            using var command = Command("SELECT 1 FROM records WHERE id = $id");
            command.Parameters.AddWithValue("$id", id.ToArray());
            return command.ExecuteScalar() is not null;
        }
    }

    /// <summary>The stored bytes of a record.</summary>
    public bool TryGetBytes(InfoHash id, out byte[] bytes)
    {
        lock (_gate)
        {
            using var command = Command("SELECT bytes FROM records WHERE id = $id");
            command.Parameters.AddWithValue("$id", id.ToArray());
            bytes = command.ExecuteScalar() as byte[] ?? [];
            return bytes.Length > 0;
        }
    }

    /// <summary>A stored record, decoded (it was authenticated when it was ingested).</summary>
    public bool TryGetRecord(InfoHash id, out SignedRecord? record)
    {
        record = null;
        if (!TryGetBytes(id, out var bytes))
        {
            return false;
        }

        var options = ValidationOptions with { MaxFutureSkew = TimeSpan.MaxValue / 2 };
        return RecordCodec.TryDecode(bytes, options, out record, out _);
    }

    /// <summary>Finds a record by a unique prefix of its hex id (at least 6 characters), as people type ids.</summary>
    public IReadOnlyList<InfoHash> FindByPrefix(string hexPrefix)
    {
        ArgumentNullException.ThrowIfNull(hexPrefix);
        // Only 40 characters are a whole id: InfoHash.TryParse also reads 32 characters as base32, and a hex prefix of
        // 32 digits drawn from [a-f2-7] spells one.
        if (hexPrefix.Length == 40 && InfoHash.TryParse(hexPrefix, out var exact))
        {
            return Contains(exact) ? [exact] : [];
        }

        if (hexPrefix.Length < 6 || hexPrefix.Length > 40 || !hexPrefix.All(Uri.IsHexDigit))
        {
            return [];
        }

        // An odd prefix is padded with '0', not cut: "abcdef1" starts at abcdef10, so ids "abcdef0..." (which sort
        // between abcdef and abcdef1) do not end the scan before it reaches the matches.
        var low = Convert.FromHexString((hexPrefix.Length & 1) == 0 ? hexPrefix : hexPrefix + "0");
        lock (_gate)
        {
            using var command = Command("SELECT id FROM records WHERE id >= $low ORDER BY id LIMIT 16");
            command.Parameters.AddWithValue("$low", low);
            using var reader = command.ExecuteReader();
            var found = new List<InfoHash>();
            while (reader.Read())
            {
                var id = new InfoHash((byte[])reader[0]);
                if (!id.ToHex().StartsWith(hexPrefix, StringComparison.OrdinalIgnoreCase))
                {
                    break;
                }

                found.Add(id);
            }

            return found;
        }
    }

    /// <summary>How many records are stored, of one kind or all.</summary>
    public long Count(RecordKind? kind = null)
    {
        lock (_gate)
        {
            using var command = Command(kind is null ? "SELECT COUNT(*) FROM records" : "SELECT COUNT(*) FROM records WHERE kind = $kind");
            if (kind is not null)
            {
                command.Parameters.AddWithValue("$kind", (int)kind);
            }

            return (long)command.ExecuteScalar()!;
        }
    }

    /// <summary>The display name an author's latest identity record gives, if this box has it.</summary>
    public string? DisplayName(ReadOnlySpan<byte> authorKey)
    {
        lock (_gate)
        {
            using var command = Command("SELECT name FROM authors WHERE key = $key");
            command.Parameters.AddWithValue("$key", authorKey.ToArray());
            return command.ExecuteScalar() as string;
        }
    }

    /// <summary>The latest vote a voter cast on a target: +1, -1, 0 (withdrawn), or null if none.</summary>
    public int? VoteOf(ReadOnlySpan<byte> voterKey, InfoHash target)
    {
        lock (_gate)
        {
            using var command = Command("""
                SELECT v.value FROM votes v JOIN authors a ON a.ref = v.voter
                WHERE v.target = $target AND a.key = $key
                """);
            command.Parameters.AddWithValue("$target", target.ToArray());
            command.Parameters.AddWithValue("$key", voterKey.ToArray());
            return command.ExecuteScalar() is long value ? (int)value : null;
        }
    }

    // ---------- pins ----------

    public void Pin(InfoHash id, string reason)
    {
        lock (_gate)
        {
            using var command = Command("INSERT OR IGNORE INTO pins(record, reason, since) VALUES($id, $reason, $since)");
            command.Parameters.AddWithValue("$id", id.ToArray());
            command.Parameters.AddWithValue("$reason", reason);
            command.Parameters.AddWithValue("$since", Now());
            command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Pins many records for one reason in one transaction (one commit, not one per record); pins that already exist
    /// are left as they are. Returns how many pins were added.
    /// </summary>
    public int PinMany(IEnumerable<InfoHash> ids, string reason)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(reason);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            using var command = Command("INSERT OR IGNORE INTO pins(record, reason, since) VALUES($id, $reason, $since)", transaction);
            var id = command.Parameters.Add("$id", SqliteType.Blob);
            command.Parameters.AddWithValue("$reason", reason);
            command.Parameters.AddWithValue("$since", Now());
            command.Prepare();
            var added = 0;
            foreach (var each in ids)
            {
                id.Value = each.ToArray();
                added += command.ExecuteNonQuery();
            }

            transaction.Commit();
            return added;
        }
    }

    /// <summary>Removes one reason (or, with null, every reason) this box seeds a record.</summary>
    public void Unpin(InfoHash id, string? reason = null)
    {
        lock (_gate)
        {
            using var command = Command(reason is null
                ? "DELETE FROM pins WHERE record = $id"
                : "DELETE FROM pins WHERE record = $id AND reason = $reason");
            command.Parameters.AddWithValue("$id", id.ToArray());
            if (reason is not null)
            {
                command.Parameters.AddWithValue("$reason", reason);
            }

            command.ExecuteNonQuery();
        }
    }

    /// <summary>True when this box seeds the record: pinned for at least one reason, and not hidden (<see cref="IsHidden"/>).</summary>
    public bool IsPinned(InfoHash id)
    {
        lock (_gate)
        {
            var command = Cached("SELECT 1 FROM pins WHERE record = $id AND NOT EXISTS (SELECT 1 FROM hidden h WHERE h.record = $id) LIMIT 1", null);
            command.Parameters.AddWithValue("$id", id.ToArray());
            return command.ExecuteScalar() is not null;
        }
    }

    /// <summary>The bytes of a record this box seeds (pinned for any reason, not hidden), in one query: the seeding hot path.</summary>
    public bool TryGetPinnedBytes(InfoHash id, out byte[] bytes)
    {
        lock (_gate)
        {
            var command = Cached("""
                SELECT r.bytes FROM records r WHERE r.id = $id AND EXISTS (SELECT 1 FROM pins p WHERE p.record = r.id)
                AND NOT EXISTS (SELECT 1 FROM hidden h WHERE h.record = r.id)
                """, null);
            command.Parameters.AddWithValue("$id", id.ToArray());
            bytes = command.ExecuteScalar() as byte[] ?? [];
            return bytes.Length > 0;
        }
    }

    public IReadOnlyList<Pin> Pins(InfoHash? id = null)
    {
        lock (_gate)
        {
            using var command = Command(id is null
                ? "SELECT record, reason, since FROM pins ORDER BY since, record"
                : "SELECT record, reason, since FROM pins WHERE record = $id ORDER BY reason");
            if (id is not null)
            {
                command.Parameters.AddWithValue("$id", id.Value.ToArray());
            }

            using var reader = command.ExecuteReader();
            var pins = new List<Pin>();
            while (reader.Read())
            {
                pins.Add(new Pin(new InfoHash((byte[])reader[0]), reader.GetString(1), reader.GetInt64(2)));
            }

            return pins;
        }
    }

    /// <summary>Size of the database files on disk (main file and WAL), in bytes.</summary>
    public long SizeOnDisk()
    {
        lock (_gate)
        {
            Execute(_connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }

        return new[] { DatabasePath, DatabasePath + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
    }

    internal SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>
    /// A prepared command kept for the store's lifetime (ingest runs the same few statements per record), with its
    /// parameters cleared. Call with the lock held.
    /// </summary>
    internal SqliteCommand Cached(string sql, SqliteTransaction? transaction)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Parameters.Clear();
        command.Transaction = transaction;
        return command;
    }

    internal T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    internal long Now() => _options.Clock.GetUtcNow().ToUnixTimeSeconds();

    private void ReloadSettingsLocked(SqliteTransaction? tx)
    {
        using var command = Command("SELECT key, value FROM settings", tx);
        using var reader = command.ExecuteReader();
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            settings[reader.GetString(0)] = reader.GetString(1);
        }

        Volatile.Write(ref _settings, settings);
        reader.Close();
        LoadPolicyLocked(tx);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
