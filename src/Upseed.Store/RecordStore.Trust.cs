using System.Globalization;
using Microsoft.Data.Sqlite;
using Upseed.Crypto;
using Upseed.Records;

namespace Upseed.Store;

public sealed partial class RecordStore
{
    /// <summary>Setting: the most an unknown voter's vote weighs (0 to 1). Defaults to <see cref="TrustWeight.DefaultUnknownWeight"/>.</summary>
    public const string UnknownWeightSetting = "trust.unknown-weight";

    /// <summary>Setting: days after which an unknown voter's age stops lowering its weight. Defaults to <see cref="TrustWeight.DefaultFullAgeDays"/>.</summary>
    public const string FullAgeDaysSetting = "trust.full-age-days";

    private const string RebuildSetting = "policy.rebuild";

    private HashSet<string> _members = new(StringComparer.Ordinal);
    private (DateTime, DateTime)? _membersStamp;

    /// <summary>The folder whose key files (<c>HEX.key</c>) make identities members of this box: the CLI's <c>keys/</c>.</summary>
    public string KeysFolder => Path.Combine(DataFolder, "keys");

    /// <summary>The web board's folder of members' sealed keys (<c>HEX.json</c>): those identities are members too.</summary>
    public string WebKeysFolder => Path.Combine(DataFolder, "web", "keys");

    /// <summary>
    /// Public keys (lowercase hex) of the identities whose keys live in this data folder (<see cref="KeysFolder"/> and
    /// <see cref="WebKeysFolder"/>): the box's members.
    /// </summary>
    public IReadOnlyList<string> Members()
    {
        lock (_gate)
        {
            RefreshMembersLocked(null);
            return [.. _members.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>True when an identity's key lives in this data folder.</summary>
    public bool IsMember(ReadOnlySpan<byte> key)
    {
        lock (_gate)
        {
            RefreshMembersLocked(null);
            return _members.Contains(Convert.ToHexStringLower(key));
        }
    }

    /// <summary>Follows an identity: its votes count in full here. Rescores what it voted on.</summary>
    public void Follow(ReadOnlySpan<byte> key)
    {
        var bytes = key.ToArray();
        WritePolicy(tx =>
        {
            using var insert = Command("INSERT OR IGNORE INTO follows(key, since) VALUES($key, $since)", tx);
            insert.Parameters.AddWithValue("$key", bytes);
            insert.Parameters.AddWithValue("$since", Now());
            insert.ExecuteNonQuery();
            RecomputeAuthorLocked(bytes, tx);
        });
    }

    /// <summary>Stops following an identity; its weight falls back to what its history gives.</summary>
    public void Unfollow(ReadOnlySpan<byte> key)
    {
        var bytes = key.ToArray();
        WritePolicy(tx =>
        {
            using var delete = Command("DELETE FROM follows WHERE key = $key", tx);
            delete.Parameters.AddWithValue("$key", bytes);
            delete.ExecuteNonQuery();
            RecomputeAuthorLocked(bytes, tx);
        });
    }

    /// <summary>The identities this box follows (public keys), with when (unix seconds).</summary>
    public IReadOnlyList<(byte[] Key, long Since)> Follows()
    {
        lock (_gate)
        {
            using var command = Command("SELECT key, since FROM follows ORDER BY since, key");
            using var reader = command.ExecuteReader();
            var follows = new List<(byte[], long)>();
            while (reader.Read())
            {
                follows.Add(((byte[])reader[0], reader.GetInt64(1)));
            }

            return follows;
        }
    }

    /// <summary>What a voter's vote weighs here now, and why. Keys never seen here are unknown and fresh.</summary>
    public VoterTrust TrustOf(ReadOnlySpan<byte> key)
    {
        var bytes = key.ToArray();
        lock (_gate)
        {
            RefreshMembersLocked(null);
            var (level, weight) = ComputeTrustLocked(bytes, null);
            return new VoterTrust(bytes, level, weight);
        }
    }

    /// <summary>
    /// Recomputes every voter's weight and the scores that change with it. Weights of unknown voters grow with age,
    /// so a node runs this now and then (the eviction pass does). Returns how many voters' weights changed.
    /// </summary>
    public int RecomputeWeights()
    {
        var changed = 0;
        WritePolicy(tx => changed = RecomputeWeightsLocked(tx));
        return changed;
    }

    /// <summary>Runs a policy change in one write transaction and tells other processes to reload their caches.</summary>
    private void WritePolicy(Action<SqliteTransaction> change)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            RefreshPolicyLocked(transaction);
            change(transaction);
            BumpPolicyVersionLocked(transaction);
            transaction.Commit();
        }
    }

    /// <summary>Refreshes the member list from the keys folder when the folder changed (one stat per call).</summary>
    private void RefreshMembersLocked(SqliteTransaction? tx)
    {
        var stamp = (Stamp(KeysFolder), Stamp(WebKeysFolder));
        if (_membersStamp == stamp)
        {
            return;
        }

        var members = new HashSet<string>(new KeyDirectory(KeysFolder).List().Select(k => k.ToLowerInvariant()), StringComparer.Ordinal);
        if (Directory.Exists(WebKeysFolder))
        {
            members.UnionWith(Directory.EnumerateFiles(WebKeysFolder, "*.json")
                .Select(Path.GetFileNameWithoutExtension)
                .Where(name => name is { Length: 64 } && name.All(Uri.IsHexDigit))
                .Select(name => name!.ToLowerInvariant()));
        }

        var first = _membersStamp is null;
        _membersStamp = stamp;
        if (!first && members.SetEquals(_members))
        {
            return;
        }

        _members = members;
        using (var clear = Command("DELETE FROM temp.members", tx))
        {
            clear.ExecuteNonQuery();
        }

        using var insert = Command("INSERT OR IGNORE INTO temp.members(key) VALUES($key)", tx);
        var key = insert.Parameters.Add("$key", SqliteType.Blob);
        foreach (var member in members)
        {
            key.Value = Convert.FromHexString(member);
            insert.ExecuteNonQuery();
        }

        // A new member trusts whom it upvoted: weights change. Only inside a write transaction (readers skip it).
        if (!first && tx is not null)
        {
            RecomputeWeightsLocked(tx);
        }
    }

    private static DateTime Stamp(string folder) => Directory.Exists(folder) ? Directory.GetLastWriteTimeUtc(folder) : DateTime.MinValue;

    private (TrustLevel Level, long Weight) ComputeTrustLocked(byte[] key, SqliteTransaction? tx)
    {
        var hex = Convert.ToHexStringLower(key);
        if (_policy.BlockedAuthors.Contains(hex))
        {
            return (TrustLevel.Blocked, 0);
        }

        if (_members.Contains(hex))
        {
            return (TrustLevel.Member, TrustWeight.Full);
        }

        var query = Cached("""
            SELECT a.work_bits, a.first_seen, a.identity_id IS NOT NULL,
                   EXISTS(SELECT 1 FROM follows f WHERE f.key = $key),
                   EXISTS(SELECT 1 FROM records r JOIN votes v ON v.target = r.id JOIN authors va ON va.ref = v.voter
                          JOIN temp.members m ON m.key = va.key WHERE r.author = a.ref AND v.value > 0)
            FROM authors a WHERE a.key = $key
            """, tx);
        query.Parameters.AddWithValue("$key", key);
        using var reader = query.ExecuteReader();
        if (!reader.Read())
        {
            using var follow = Command("SELECT 1 FROM follows WHERE key = $key", tx);
            follow.Parameters.AddWithValue("$key", key);
            return follow.ExecuteScalar() is not null ? (TrustLevel.Followed, TrustWeight.Full) : (TrustLevel.Unknown, UnknownWeight(null, null));
        }

        if (reader.GetInt64(3) != 0)
        {
            return (TrustLevel.Followed, TrustWeight.Full);
        }

        if (reader.GetInt64(4) != 0)
        {
            return (TrustLevel.UpvotedByMember, TrustWeight.Full);
        }

        int? bits = reader.GetInt64(2) != 0 ? (reader.IsDBNull(0) ? 0 : reader.GetInt32(0)) : null;
        long? firstSeen = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        return (TrustLevel.Unknown, UnknownWeight(bits, firstSeen));
    }

    private long UnknownWeight(int? workBits, long? firstSeen)
    {
        var ageDays = firstSeen is { } seen ? (Now() - seen) / 86_400.0 : 0;
        return TrustWeight.Unknown(
            workBits,
            RequiredWork(RecordKind.Identity, null),
            ageDays,
            SettingDouble(UnknownWeightSetting, TrustWeight.DefaultUnknownWeight),
            SettingDouble(FullAgeDaysSetting, TrustWeight.DefaultFullAgeDays));
    }

    /// <summary>Recomputes one author's weight (if the author is known here) and rescores what it voted on.</summary>
    private void RecomputeAuthorLocked(byte[] key, SqliteTransaction tx)
    {
        var find = Cached("SELECT ref FROM authors WHERE key = $key", tx);
        find.Parameters.AddWithValue("$key", key);
        if (find.ExecuteScalar() is long author)
        {
            SetWeightLocked(author, ComputeTrustLocked(key, tx).Weight, tx);
        }
    }

    private void RecomputeAuthorLocked(long author, SqliteTransaction tx)
    {
        var find = Cached("SELECT key FROM authors WHERE ref = $ref", tx);
        find.Parameters.AddWithValue("$ref", author);
        if (find.ExecuteScalar() is byte[] key)
        {
            SetWeightLocked(author, ComputeTrustLocked(key, tx).Weight, tx);
        }
    }

    private void SetWeightLocked(long author, long weight, SqliteTransaction tx)
    {
        var update = Cached("UPDATE authors SET weight = $weight WHERE ref = $ref AND weight != $weight", tx);
        update.Parameters.AddWithValue("$weight", weight);
        update.Parameters.AddWithValue("$ref", author);
        if (update.ExecuteNonQuery() == 0)
        {
            return;
        }

        var rescore = Cached($"""
            UPDATE posts SET score = {WeightedScoreSql}
            WHERE seq IN (SELECT r.seq FROM votes v JOIN records r ON r.id = v.target WHERE v.voter = $ref)
            """, tx);
        rescore.Parameters.AddWithValue("$ref", author);
        rescore.ExecuteNonQuery();
    }

    /// <summary>The weighted score of the post row being updated, from each voter's latest vote.</summary>
    private const string WeightedScoreSql = """
        (SELECT COALESCE(SUM(v.value * a.weight), 0) FROM votes v JOIN authors a ON a.ref = v.voter
         WHERE v.target = (SELECT r.id FROM records r WHERE r.seq = posts.seq))
        """;

    private int RecomputeWeightsLocked(SqliteTransaction tx)
    {
        var upvoted = new HashSet<long>();
        using (var query = Command("""
            SELECT DISTINCT r.author FROM temp.members m JOIN authors va ON va.key = m.key
            JOIN votes v ON v.voter = va.ref JOIN records r ON r.id = v.target WHERE v.value > 0
            """, tx))
        using (var reader = query.ExecuteReader())
        {
            while (reader.Read())
            {
                upvoted.Add(reader.GetInt64(0));
            }
        }

        var changes = new List<(long Ref, long Weight)>();
        using (var query = Command("""
            SELECT a.ref, a.key, a.work_bits, a.first_seen, a.identity_id IS NOT NULL, a.weight,
                   EXISTS(SELECT 1 FROM follows f WHERE f.key = a.key)
            FROM authors a
            """, tx))
        using (var reader = query.ExecuteReader())
        {
            while (reader.Read())
            {
                var author = reader.GetInt64(0);
                var hex = Convert.ToHexStringLower((byte[])reader[1]);
                long weight;
                if (_policy.BlockedAuthors.Contains(hex))
                {
                    weight = 0;
                }
                else if (_members.Contains(hex) || reader.GetInt64(6) != 0 || upvoted.Contains(author))
                {
                    weight = TrustWeight.Full;
                }
                else
                {
                    int? bits = reader.GetInt64(4) != 0 ? (reader.IsDBNull(2) ? 0 : reader.GetInt32(2)) : null;
                    weight = UnknownWeight(bits, reader.IsDBNull(3) ? null : reader.GetInt64(3));
                }

                if (weight != reader.GetInt64(5))
                {
                    changes.Add((author, weight));
                }
            }
        }

        if (changes.Count == 0)
        {
            return 0;
        }

        using (var create = Command("CREATE TEMP TABLE IF NOT EXISTS changed_voters(ref INTEGER PRIMARY KEY); DELETE FROM temp.changed_voters;", tx))
        {
            create.ExecuteNonQuery();
        }

        using (var update = Command("UPDATE authors SET weight = $weight WHERE ref = $ref", tx))
        using (var mark = Command("INSERT INTO temp.changed_voters(ref) VALUES($ref)", tx))
        {
            var weight = update.Parameters.Add("$weight", SqliteType.Integer);
            var author = update.Parameters.Add("$ref", SqliteType.Integer);
            var marked = mark.Parameters.Add("$ref", SqliteType.Integer);
            foreach (var change in changes)
            {
                weight.Value = change.Weight;
                author.Value = change.Ref;
                marked.Value = change.Ref;
                update.ExecuteNonQuery();
                mark.ExecuteNonQuery();
            }
        }

        using (var rescore = Command($"""
            UPDATE posts SET score = {WeightedScoreSql}
            WHERE seq IN (SELECT r.seq FROM votes v JOIN records r ON r.id = v.target WHERE v.voter IN (SELECT ref FROM temp.changed_voters))
            """, tx))
        {
            rescore.ExecuteNonQuery();
        }

        return changes.Count;
    }

    /// <summary>
    /// After migration 3: fills work bits of stored identities and recomputes every weight in the new unit. Runs
    /// once, on the first open that finds the <c>policy.rebuild</c> setting.
    /// </summary>
    private void RebuildIfNeeded()
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            using (var flag = Command("SELECT value FROM settings WHERE key = $key", transaction))
            {
                flag.Parameters.AddWithValue("$key", RebuildSetting);
                if (flag.ExecuteScalar() is null)
                {
                    return;
                }
            }

            var identities = new List<(long Ref, byte[] Bytes)>();
            using (var query = Command("SELECT a.ref, r.bytes FROM authors a JOIN records r ON r.id = a.identity_id WHERE a.work_bits IS NULL", transaction))
            using (var reader = query.ExecuteReader())
            {
                while (reader.Read())
                {
                    identities.Add((reader.GetInt64(0), (byte[])reader[1]));
                }
            }

            var options = ValidationOptions with { MaxFutureSkew = TimeSpan.MaxValue / 2 };
            using (var update = Command("UPDATE authors SET work_bits = $bits WHERE ref = $ref", transaction))
            {
                foreach (var (author, bytes) in identities)
                {
                    if (RecordCodec.TryDecode(bytes, options, out var record, out _))
                    {
                        update.Parameters.Clear();
                        update.Parameters.AddWithValue("$bits", RecordCodec.WorkBits(record));
                        update.Parameters.AddWithValue("$ref", author);
                        update.ExecuteNonQuery();
                    }
                }
            }

            RefreshPolicyLocked(transaction);
            using (var all = Command($"UPDATE authors SET weight = -1; ", transaction))
            {
                all.ExecuteNonQuery();
            }

            RecomputeWeightsLocked(transaction);
            using (var clear = Command("DELETE FROM settings WHERE key = $key", transaction))
            {
                clear.Parameters.AddWithValue("$key", RebuildSetting);
                clear.ExecuteNonQuery();
            }

            transaction.Commit();
            ReloadSettingsLocked(null);
        }
    }

    private double SettingDouble(string key, double fallback)
    {
        var settings = Volatile.Read(ref _settings);
        return settings.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : fallback;
    }
}
