using Microsoft.Data.Sqlite;
using Upseed.Metainfo;

namespace Upseed.Store;

public sealed partial class RecordStore
{
    /// <summary>
    /// A record's current seeder count, as a SQL expression over <c>r.id</c> with the window start in
    /// <c>$seedersSince</c>: the larger of the DHT scrape's latest estimate and the distinct peers seen seeding it
    /// through the peer wire or sync, plus this box when it seeds the record itself.
    /// </summary>
    internal const string SeederCountSql = """
        max(
            COALESCE((SELECT MAX(s.count) FROM seeders s WHERE s.record = r.id AND s.source = 'dht' AND s.seen >= $seedersSince), 0),
            (SELECT COUNT(DISTINCT s.peer) FROM seeders s WHERE s.record = r.id AND s.source IN ('peer', 'sync') AND s.count > 0 AND s.seen >= $seedersSince)
            + (EXISTS(SELECT 1 FROM pins pn WHERE pn.record = r.id) AND NOT EXISTS(SELECT 1 FROM hidden hd WHERE hd.record = r.id)))
        """;

    /// <summary>Records seeder observations (timestamped now); a newer observation of the same record, source and peer replaces the older.</summary>
    public void ObserveSeeders(IReadOnlyList<SeederObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            using var upsert = Command("""
                INSERT INTO seeders(record, source, peer, count, seen) VALUES($record, $source, $peer, $count, $seen)
                ON CONFLICT(record, source, peer) DO UPDATE SET count = excluded.count, seen = excluded.seen
                """, transaction);
            var record = upsert.Parameters.Add("$record", SqliteType.Blob);
            var source = upsert.Parameters.Add("$source", SqliteType.Text);
            var peer = upsert.Parameters.Add("$peer", SqliteType.Text);
            var count = upsert.Parameters.Add("$count", SqliteType.Integer);
            upsert.Parameters.AddWithValue("$seen", Now());
            foreach (var observation in observations)
            {
                record.Value = observation.Record.ToArray();
                source.Value = SourceName(observation.Source);
                peer.Value = observation.Source == SeederSource.Dht ? string.Empty : observation.Peer ?? string.Empty;
                count.Value = Math.Max(0, observation.Count);
                upsert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <summary>Records one observation.</summary>
    public void ObserveSeeder(InfoHash record, SeederSource source, string peer, int count = 1) =>
        ObserveSeeders([new SeederObservation(record, source, peer, count)]);

    /// <summary>Forgets what one peer was seen seeding through one source (it disconnected).</summary>
    public void ForgetPeer(SeederSource source, string peer)
    {
        lock (_gate)
        {
            using var delete = Command("DELETE FROM seeders WHERE source = $source AND peer = $peer");
            delete.Parameters.AddWithValue("$source", SourceName(source));
            delete.Parameters.AddWithValue("$peer", peer);
            delete.ExecuteNonQuery();
        }
    }

    /// <summary>A record's current seeder count (see <see cref="SeederCountSql"/>), over the last <see cref="SeedingPolicy.SeederWindowMinutes"/>.</summary>
    public long SeederCount(InfoHash id)
    {
        lock (_gate)
        {
            using var command = Command($"SELECT {SeederCountSql} FROM (SELECT $id AS id) r");
            command.Parameters.AddWithValue("$id", id.ToArray());
            command.Parameters.AddWithValue("$seedersSince", SeedersSince());
            return (long)command.ExecuteScalar()!;
        }
    }

    internal long SeedersSince() => Now() - (long)(Volatile.Read(ref _policy).Seeding.SeederWindowMinutes * 60);

    private static string SourceName(SeederSource source) => source switch
    {
        SeederSource.Dht => "dht",
        SeederSource.Sync => "sync",
        _ => "peer",
    };
}
