using Microsoft.Data.Sqlite;
using Upseed.Store;

namespace Upseed.Web;

/// <summary>
/// Figures the store does not offer yet (the communities with their post counts, the number of pins, every setting),
/// read through a second, read-only SQLite connection to the same database (WAL lets it read while the store writes).
/// It reads the store's schema (version 2) and nothing else; when the store grows these queries, this class goes.
/// Communities are cached for <see cref="CommunityCacheLifetime"/>: counting them walks the listing index.
/// </summary>
internal sealed class StoreStats : IDisposable
{
    public static readonly TimeSpan CommunityCacheLifetime = TimeSpan.FromSeconds(60);

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private IReadOnlyList<CommunityCount>? _communities;
    private DateTimeOffset _communitiesAt;

    public StoreStats(RecordStore store, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        _clock = options.Clock;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = store.DatabasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 30,
        };
        _connection = new SqliteConnection(builder.ConnectionString);
        _connection.Open();
    }

    public IReadOnlyList<CommunityCount> Communities()
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (_communities is null || now - _communitiesAt > CommunityCacheLifetime || now < _communitiesAt)
            {
                _communities = Query(
                    """
                    SELECT c.name, (SELECT COUNT(*) FROM posts p WHERE p.community = c.ref AND p.root IS NULL AND p.retracted = 0)
                    FROM communities c ORDER BY c.name
                    """,
                    r => new CommunityCount(r.GetString(0), r.GetInt64(1)));
                _communitiesAt = now;
            }

            return _communities;
        }
    }

    /// <summary>Forgets the cached communities (a post was just made in a new one).</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _communities = null;
        }
    }

    /// <summary>Stored records of each kind (one scan of the records table, outside the store's lock).</summary>
    public IReadOnlyDictionary<Upseed.Records.RecordKind, long> RecordsByKind() =>
        Query("SELECT kind, COUNT(*) FROM records GROUP BY kind", r => KeyValuePair.Create((Upseed.Records.RecordKind)r.GetInt32(0), r.GetInt64(1)))
            .ToDictionary();

    public long PinCount() => Scalar("SELECT COUNT(*) FROM pins");

    /// <summary>Records pinned for each reason (own, upvote, policy, manual).</summary>
    public IReadOnlyList<KeyValuePair<string, long>> PinsByReason() =>
        Query("SELECT reason, COUNT(*) FROM pins GROUP BY reason ORDER BY reason", r => KeyValuePair.Create(r.GetString(0), r.GetInt64(1)));

    public IReadOnlyList<KeyValuePair<string, string>> Settings() =>
        Query("SELECT key, value FROM settings ORDER BY key", r => KeyValuePair.Create(r.GetString(0), r.GetString(1)));

    public void Dispose() => _connection.Dispose();

    private long Scalar(string sql)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteScalar() is long value ? value : 0;
        }
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(read(reader));
            }

            return rows;
        }
    }
}

internal sealed record CommunityCount(string Name, long Posts);
