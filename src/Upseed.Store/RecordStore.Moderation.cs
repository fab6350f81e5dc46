using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Upseed.Metainfo;
using Upseed.Records;

namespace Upseed.Store;

public sealed partial class RecordStore
{
    /// <summary>Setting: labels that hide and unseed, comma-separated, or <c>*</c> for every label. Defaults to <c>*</c>.</summary>
    public const string HidingLabelsSetting = "moderation.labels";

    private const string PolicyVersionSetting = "policy.version";

    private PolicyCache _policy = PolicyCache.Empty;

    /// <summary>The seeding policy in force (from settings).</summary>
    public SeedingPolicy SeedingPolicy
    {
        get
        {
            lock (_gate)
            {
                RefreshPolicyLocked(null);
                return _policy.Seeding;
            }
        }
    }

    // ---------- blocks ----------

    /// <summary>
    /// Blocks an author (64 hex), a community, or a word (a regular expression, case-insensitive, over titles, bodies,
    /// names and bios). From now on ingest refuses matching records; stored ones are hidden and unpinned.
    /// </summary>
    /// <exception cref="ArgumentException">The value is not a key, a community name or a usable pattern.</exception>
    public void Block(BlockKind kind, string value)
    {
        var normal = NormalBlockValue(kind, value);
        WritePolicy(tx =>
        {
            using var insert = Command("INSERT OR IGNORE INTO blocks(kind, value, since) VALUES($kind, $value, $since)", tx);
            insert.Parameters.AddWithValue("$kind", BlockKindName(kind));
            insert.Parameters.AddWithValue("$value", normal);
            insert.Parameters.AddWithValue("$since", Now());
            insert.ExecuteNonQuery();
            LoadPolicyLocked(tx);
            ApplyBlocksLocked(kind, tx);
        });
    }

    /// <summary>Lifts a block; records it hid are listed again (they stay unpinned). False if there was no such block.</summary>
    /// <exception cref="ArgumentException">The value is not a key, a community name or a usable pattern.</exception>
    public bool Unblock(BlockKind kind, string value)
    {
        var normal = NormalBlockValue(kind, value);
        var removed = false;
        WritePolicy(tx =>
        {
            using var delete = Command("DELETE FROM blocks WHERE kind = $kind AND value = $value", tx);
            delete.Parameters.AddWithValue("$kind", BlockKindName(kind));
            delete.Parameters.AddWithValue("$value", normal);
            removed = delete.ExecuteNonQuery() > 0;
            LoadPolicyLocked(tx);
            ApplyBlocksLocked(kind, tx);
        });
        return removed;
    }

    /// <summary>Every local block, oldest first.</summary>
    public IReadOnlyList<Block> Blocks()
    {
        lock (_gate)
        {
            return ReadBlocksLocked(null);
        }
    }

    // ---------- moderators ----------

    /// <summary>Follows a moderator by hand: its labels hide and unseed records here (in one community, or all).</summary>
    public void FollowModerator(ReadOnlySpan<byte> key, string? community = null)
    {
        var bytes = key.ToArray();
        WritePolicy(tx =>
        {
            using var insert = Command("INSERT OR IGNORE INTO moderators(key, community, since) VALUES($key, $community, $since)", tx);
            insert.Parameters.AddWithValue("$key", bytes);
            insert.Parameters.AddWithValue("$community", community ?? string.Empty);
            insert.Parameters.AddWithValue("$since", Now());
            insert.ExecuteNonQuery();
            LoadPolicyLocked(tx);
            ApplyLabelsLocked(tx);
        });
    }

    /// <summary>Stops following a moderator (for one community, or the all-communities follow); its labels stop hiding.</summary>
    public bool UnfollowModerator(ReadOnlySpan<byte> key, string? community = null)
    {
        var bytes = key.ToArray();
        var removed = false;
        WritePolicy(tx =>
        {
            using var delete = Command("DELETE FROM moderators WHERE key = $key AND community = $community", tx);
            delete.Parameters.AddWithValue("$key", bytes);
            delete.Parameters.AddWithValue("$community", community ?? string.Empty);
            removed = delete.ExecuteNonQuery() > 0;
            LoadPolicyLocked(tx);
            ApplyLabelsLocked(tx);
        });
        return removed;
    }

    /// <summary>Moderators followed by hand.</summary>
    public IReadOnlyList<FollowedModerator> FollowedModerators()
    {
        lock (_gate)
        {
            using var command = Command("SELECT key, community, since FROM moderators ORDER BY since, key");
            using var reader = command.ExecuteReader();
            var list = new List<FollowedModerator>();
            while (reader.Read())
            {
                var community = reader.GetString(1);
                list.Add(new FollowedModerator((byte[])reader[0], community.Length == 0 ? null : community, reader.GetInt64(2)));
            }

            return list;
        }
    }

    /// <summary>The charter this box honours for a community (see <see cref="EffectiveCharter"/>), if any.</summary>
    public bool TryGetCharter(string community, [NotNullWhen(true)] out EffectiveCharter? charter)
    {
        lock (_gate)
        {
            RefreshPolicyLocked(null);
            return _policy.Charters.TryGetValue(community, out charter);
        }
    }

    // ---------- verdicts ----------

    /// <summary>
    /// Whether this box refuses a record: a blocked author, community or word, a community it does not carry (and
    /// nothing here pins the record), or a stored record hidden by a retraction or a followed moderator's label.
    /// The seeding and relay layers ask this before serving or passing a record on; ingest applies the same rules.
    /// </summary>
    public bool IsBlocked(SignedRecord record, [NotNullWhen(true)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            RefreshPolicyLocked(null);
            var refusal = RefusalLocked(record, null, checkDropped: false);
            if (refusal is not null)
            {
                reason = refusal.ToString();
                return true;
            }

            return IsHiddenLocked(record.Id, out reason);
        }
    }

    /// <summary>Whether a stored record is hidden (not listed, not seeded), and why.</summary>
    public bool IsHidden(InfoHash id, [NotNullWhen(true)] out string? reason)
    {
        lock (_gate)
        {
            return IsHiddenLocked(id, out reason);
        }
    }

    /// <summary>Hidden records and why, newest first: the admin's "hidden" page.</summary>
    public IReadOnlyList<HiddenRecord> Hidden(int limit = 100, int offset = 0)
    {
        lock (_gate)
        {
            using var command = Command("""
                SELECT h.record, r.kind, c.name, h.reason, h.source, h.detail, h.since
                FROM hidden h LEFT JOIN records r ON r.id = h.record LEFT JOIN communities c ON c.ref = r.community
                ORDER BY h.since DESC, h.record LIMIT $limit OFFSET $offset
                """);
            command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 10_000));
            command.Parameters.AddWithValue("$offset", Math.Max(0, offset));
            using var reader = command.ExecuteReader();
            var list = new List<HiddenRecord>();
            while (reader.Read())
            {
                list.Add(new HiddenRecord(
                    new InfoHash((byte[])reader[0]),
                    reader.IsDBNull(1) ? null : (RecordKind)reader.GetInt32(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetInt64(6)));
            }

            return list;
        }
    }

    private bool IsHiddenLocked(InfoHash id, [NotNullWhen(true)] out string? reason)
    {
        var query = Cached("SELECT reason, source, detail FROM hidden WHERE record = $id ORDER BY since LIMIT 1", null);
        query.Parameters.AddWithValue("$id", id.ToArray());
        using var reader = query.ExecuteReader();
        if (reader.Read())
        {
            reason = reader.IsDBNull(2) ? $"{reader.GetString(0)}: {reader.GetString(1)}" : $"{reader.GetString(0)}: {reader.GetString(1)} ({reader.GetString(2)})";
            return true;
        }

        reason = null;
        return false;
    }

    /// <summary>
    /// Local policy's verdict on a record about to be stored: null to store it, else why not. Rules that need only the
    /// record come first; "not carried" and "dropped" look at pins, since a pinned record is always taken.
    /// </summary>
    private RecordRejection? RefusalLocked(SignedRecord record, SqliteTransaction? tx, bool checkDropped)
    {
        var policy = _policy;
        var author = record.AuthorHex;
        if (policy.BlockedAuthors.Contains(author))
        {
            return new(RejectReason.Blocked, $"This box's admin blocked the author {author[..16]}.");
        }

        var community = record.Community;
        if (community is not null && policy.BlockedCommunities.Contains(community))
        {
            return new(RejectReason.Blocked, $"This box's admin blocked the community '{community}'.");
        }

        var word = record switch
        {
            PostRecord post => policy.MatchWord(post.Title, post.Body),
            IdentityRecord identity => policy.MatchWord(identity.Name, identity.Bio),
            _ => null,
        };
        if (word is not null)
        {
            return new(RejectReason.Blocked, $"The text matches a word this box's admin blocked (/{word}/).");
        }

        if (community is not null && record.Kind == RecordKind.Post
            && GetSetting("limit.record." + community) is { } limitText
            && int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) && record.Bytes.Length > limit)
        {
            return new(RejectReason.TooLarge, $"The record is {record.Bytes.Length} bytes; '{community}' takes at most {limit} here.");
        }

        var target = record switch
        {
            VoteRecord vote => vote.Target,
            LabelRecord label => label.Target,
            RetractRecord retract => retract.Target,
            PostRecord post => post.Root,
            _ => (InfoHash?)null,
        };
        // The box's own members' records are always taken: their votes are how a post from elsewhere gets pinned.
        if (_members.Contains(author))
        {
            return null;
        }

        if (community is not null && !policy.Seeding.Carries(community)
            && !IsPinnedLocked(record.Id, tx) && !(target is { } t && IsPinnedLocked(t, tx)))
        {
            return new(RejectReason.NotCarried, $"This box does not carry '{community}'.");
        }

        if (checkDropped)
        {
            if (WasDroppedLocked(record.Id, tx) && !IsPinnedLocked(record.Id, tx))
            {
                return new(RejectReason.Dropped, "This box dropped the record by its seeding policy.");
            }

            if (record.Kind is RecordKind.Vote or RecordKind.Label && target is { } dropped && WasDroppedLocked(dropped, tx) && !IsPinnedLocked(dropped, tx))
            {
                return new(RejectReason.Dropped, $"This box dropped {dropped} by its seeding policy.");
            }
        }

        return null;
    }

    private bool IsPinnedLocked(InfoHash id, SqliteTransaction? tx)
    {
        var query = Cached("SELECT 1 FROM pins WHERE record = $id LIMIT 1", tx);
        query.Parameters.AddWithValue("$id", id.ToArray());
        return query.ExecuteScalar() is not null;
    }

    private bool WasDroppedLocked(InfoHash id, SqliteTransaction? tx)
    {
        var query = Cached("SELECT 1 FROM dropped_records WHERE id = $id", tx);
        query.Parameters.AddWithValue("$id", id.ToArray());
        return query.ExecuteScalar() is not null;
    }

    // ---------- hiding ----------

    /// <summary>Hides a stored record for one reason and source, and stops seeding it.</summary>
    private void HideLocked(InfoHash id, string reason, string source, string? detail, SqliteTransaction tx)
    {
        var insert = Cached("INSERT OR IGNORE INTO hidden(record, reason, source, detail, since) VALUES($id, $reason, $source, $detail, $since)", tx);
        insert.Parameters.AddWithValue("$id", id.ToArray());
        insert.Parameters.AddWithValue("$reason", reason);
        insert.Parameters.AddWithValue("$source", source);
        insert.Parameters.AddWithValue("$detail", (object?)detail ?? DBNull.Value);
        insert.Parameters.AddWithValue("$since", Now());
        insert.ExecuteNonQuery();

        var unpin = Cached("DELETE FROM pins WHERE record = $id", tx);
        unpin.Parameters.AddWithValue("$id", id.ToArray());
        unpin.ExecuteNonQuery();

        // A retracted post keeps its place in its thread (shown as retracted); other reasons take it out of sight.
        if (reason != HideReason.Retracted)
        {
            SetPostFlagLocked(id, PostFlags.Hidden, true, tx);
        }
    }

    private void UnhideLocked(InfoHash id, string reason, string source, SqliteTransaction tx)
    {
        var delete = Cached("DELETE FROM hidden WHERE record = $id AND reason = $reason AND source = $source", tx);
        delete.Parameters.AddWithValue("$id", id.ToArray());
        delete.Parameters.AddWithValue("$reason", reason);
        delete.Parameters.AddWithValue("$source", source);
        delete.ExecuteNonQuery();

        var rest = Cached("SELECT 1 FROM hidden WHERE record = $id AND reason != $retracted LIMIT 1", tx);
        rest.Parameters.AddWithValue("$id", id.ToArray());
        rest.Parameters.AddWithValue("$retracted", HideReason.Retracted);
        if (rest.ExecuteScalar() is null)
        {
            SetPostFlagLocked(id, PostFlags.Hidden, false, tx);
        }
    }

    /// <summary>Bits of <c>posts.retracted</c> (schema step 3): 0 is a live post.</summary>
    private static class PostFlags
    {
        public const long Retracted = 1;
        public const long Hidden = 2;
    }

    /// <summary>Sets or clears one flag of a post; a comment that goes from live to not (or back) moves its thread's count.</summary>
    private void SetPostFlagLocked(InfoHash id, long flag, bool on, SqliteTransaction tx)
    {
        var update = Cached("""
            UPDATE posts SET retracted = CASE WHEN $on THEN retracted | $flag ELSE retracted & ~$flag END
            WHERE seq = (SELECT seq FROM records WHERE id = $id) AND ((retracted & $flag) != 0) != $on
            RETURNING root, community, retracted
            """, tx);
        update.Parameters.AddWithValue("$on", on);
        update.Parameters.AddWithValue("$flag", flag);
        update.Parameters.AddWithValue("$id", id.ToArray());
        InfoHash? root = null;
        long community = 0;
        long flags = 0;
        using (var reader = update.ExecuteReader())
        {
            if (!reader.Read())
            {
                return;
            }

            root = reader.IsDBNull(0) ? null : new InfoHash((byte[])reader[0]);
            community = reader.GetInt64(1);
            flags = reader.GetInt64(2);
        }

        var before = on ? flags & ~flag : flags | flag;
        if (root is { } thread && (before == 0) != (flags == 0))
        {
            AdjustCommentCount(thread, community, flags == 0 ? +1 : -1, tx);
        }
    }

    /// <summary>Makes the hidden rows of one reason match what should be hidden for it, changing only the difference.</summary>
    private void SyncHiddenLocked(string reason, IEnumerable<(InfoHash Id, string Source, string? Detail)> desired, SqliteTransaction tx)
    {
        var want = new Dictionary<(InfoHash, string), string?>();
        foreach (var (id, source, detail) in desired)
        {
            want.TryAdd((id, source), detail);
        }

        var have = new HashSet<(InfoHash, string)>();
        using (var query = Command("SELECT record, source FROM hidden WHERE reason = $reason", tx))
        {
            query.Parameters.AddWithValue("$reason", reason);
            using var reader = query.ExecuteReader();
            while (reader.Read())
            {
                have.Add((new InfoHash((byte[])reader[0]), reader.GetString(1)));
            }
        }

        foreach (var (id, source) in have.Where(h => !want.ContainsKey(h)).ToList())
        {
            UnhideLocked(id, reason, source, tx);
        }

        foreach (var ((id, source), detail) in want.Where(w => !have.Contains(w.Key)))
        {
            HideLocked(id, reason, source, detail, tx);
        }
    }

    private void ApplyBlocksLocked(BlockKind kind, SqliteTransaction tx)
    {
        var desired = new List<(InfoHash, string, string?)>();
        switch (kind)
        {
            case BlockKind.Author:
                foreach (var author in _policy.BlockedAuthors)
                {
                    using var query = Command("SELECT r.id FROM records r JOIN authors a ON a.ref = r.author WHERE a.key = $key", tx);
                    query.Parameters.AddWithValue("$key", Convert.FromHexString(author));
                    desired.AddRange(Ids(query).Select(id => (id, author, (string?)null)));
                    RecomputeAuthorLocked(Convert.FromHexString(author), tx);
                }

                // Unblocked authors get their weight back.
                using (var formerly = Command("SELECT DISTINCT source FROM hidden WHERE reason = $reason", tx))
                {
                    formerly.Parameters.AddWithValue("$reason", HideReason.BlockedAuthor);
                    using var reader = formerly.ExecuteReader();
                    var keys = new List<string>();
                    while (reader.Read())
                    {
                        keys.Add(reader.GetString(0));
                    }

                    reader.Close();
                    foreach (var key in keys.Where(k => !_policy.BlockedAuthors.Contains(k)))
                    {
                        RecomputeAuthorLocked(Convert.FromHexString(key), tx);
                    }
                }

                SyncHiddenLocked(HideReason.BlockedAuthor, desired, tx);
                break;
            case BlockKind.Community:
                foreach (var community in _policy.BlockedCommunities)
                {
                    using var query = Command("SELECT r.id FROM records r JOIN communities c ON c.ref = r.community WHERE c.name = $name", tx);
                    query.Parameters.AddWithValue("$name", community);
                    desired.AddRange(Ids(query).Select(id => (id, community, (string?)null)));
                }

                SyncHiddenLocked(HideReason.BlockedCommunity, desired, tx);
                break;
            default:
                if (_policy.BlockedWords.Count > 0)
                {
                    using var query = Command($"SELECT bytes FROM records WHERE kind IN ({(int)RecordKind.Post}, {(int)RecordKind.Identity})", tx);
                    using var reader = query.ExecuteReader();
                    var options = ValidationOptions with { MaxFutureSkew = TimeSpan.MaxValue / 2 };
                    while (reader.Read())
                    {
                        if (!RecordCodec.TryDecode((byte[])reader[0], options, out var record, out _))
                        {
                            continue;
                        }

                        var word = record switch
                        {
                            PostRecord post => _policy.MatchWord(post.Title, post.Body),
                            IdentityRecord identity => _policy.MatchWord(identity.Name, identity.Bio),
                            _ => null,
                        };
                        if (word is not null)
                        {
                            desired.Add((record.Id, word, null));
                        }
                    }
                }

                SyncHiddenLocked(HideReason.BlockedWord, desired, tx);
                break;
        }
    }

    /// <summary>Re-evaluates every stored label against the moderators followed now (by hand or through charters).</summary>
    private void ApplyLabelsLocked(SqliteTransaction tx)
    {
        var labels = new List<(string Moderator, byte[]? Target, byte[]? Subject, string Label, string? Community)>();
        using (var query = Command("""
            SELECT m.key, l.target, l.subject, l.label, c.name FROM labels l
            JOIN authors m ON m.ref = l.moderator LEFT JOIN communities c ON c.ref = l.community
            """, tx))
        using (var reader = query.ExecuteReader())
        {
            while (reader.Read())
            {
                labels.Add((
                    Convert.ToHexStringLower((byte[])reader[0]),
                    reader.IsDBNull(1) ? null : (byte[])reader[1],
                    reader.IsDBNull(2) ? null : (byte[])reader[2],
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
        }

        var desired = new List<(InfoHash, string, string?)>();
        foreach (var label in labels)
        {
            desired.AddRange(LabelledLocked(label.Moderator, label.Target, label.Subject, label.Label, label.Community, tx)
                .Select(id => (id, label.Moderator, (string?)label.Label)));
        }

        SyncHiddenLocked(HideReason.Label, desired, tx);
    }

    /// <summary>The stored records one label hides here: its target, or its subject's posts (in its community, if it names one).</summary>
    private List<InfoHash> LabelledLocked(string moderator, byte[]? target, byte[]? subject, string label, string? labelCommunity, SqliteTransaction tx)
    {
        var hidden = new List<InfoHash>();
        if (target is not null)
        {
            var query = Cached("SELECT c.name FROM records r LEFT JOIN communities c ON c.ref = r.community WHERE r.id = $id", tx);
            query.Parameters.AddWithValue("$id", target);
            using var reader = query.ExecuteReader();
            if (reader.Read() && _policy.Honours(moderator, label, reader.IsDBNull(0) ? labelCommunity : reader.GetString(0)))
            {
                hidden.Add(new InfoHash(target));
            }
        }

        if (subject is not null)
        {
            var query = Cached("""
                SELECT r.id, c.name FROM records r JOIN authors a ON a.ref = r.author LEFT JOIN communities c ON c.ref = r.community
                WHERE a.key = $key AND r.kind = $kind
                """, tx);
            query.Parameters.AddWithValue("$key", subject);
            query.Parameters.AddWithValue("$kind", (int)RecordKind.Post);
            using var reader = query.ExecuteReader();
            while (reader.Read())
            {
                var community = reader.IsDBNull(1) ? null : reader.GetString(1);
                if ((labelCommunity is null || labelCommunity == community) && _policy.Honours(moderator, label, community ?? labelCommunity))
                {
                    hidden.Add(new InfoHash((byte[])reader[0]));
                }
            }
        }

        return hidden;
    }

    /// <summary>On a post's arrival: labels that name it or its author, from moderators followed here.</summary>
    private void ApplyLabelsToNewPostLocked(PostRecord post, SqliteTransaction tx)
    {
        var query = Cached("""
            SELECT m.key, l.label, c.name FROM labels l JOIN authors m ON m.ref = l.moderator LEFT JOIN communities c ON c.ref = l.community
            WHERE l.target = $id OR l.subject = $author
            """, tx);
        query.Parameters.AddWithValue("$id", post.Id.ToArray());
        query.Parameters.AddWithValue("$author", post.Author.ToArray());
        var found = new List<(string Moderator, string Label, string? Community)>();
        using (var reader = query.ExecuteReader())
        {
            while (reader.Read())
            {
                found.Add((Convert.ToHexStringLower((byte[])reader[0]), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
        }

        foreach (var (moderator, label, community) in found)
        {
            if ((community is null || community == post.CommunityName) && _policy.Honours(moderator, label, post.CommunityName))
            {
                HideLocked(post.Id, HideReason.Label, moderator, label, tx);
            }
        }
    }

    private static List<InfoHash> Ids(SqliteCommand query)
    {
        using var reader = query.ExecuteReader();
        var ids = new List<InfoHash>();
        while (reader.Read())
        {
            ids.Add(new InfoHash((byte[])reader[0]));
        }

        return ids;
    }

    // ---------- the policy cache ----------

    /// <summary>Reloads the policy cache when another process (or this one) changed policy since it was read.</summary>
    private void RefreshPolicyLocked(SqliteTransaction? tx)
    {
        RefreshMembersLocked(tx);
        var query = Cached("SELECT value FROM settings WHERE key = $key", tx);
        query.Parameters.AddWithValue("$key", PolicyVersionSetting);
        var version = query.ExecuteScalar() as string ?? string.Empty;
        if (version != _policy.Version || ReferenceEquals(_policy, PolicyCache.Empty))
        {
            ReloadSettingsLocked(tx);
        }
    }

    private void BumpPolicyVersionLocked(SqliteTransaction tx)
    {
        using var bump = Command("""
            INSERT INTO settings(key, value) VALUES($key, '1')
            ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
            """, tx);
        bump.Parameters.AddWithValue("$key", PolicyVersionSetting);
        bump.ExecuteNonQuery();
        ReloadSettingsLocked(tx);
    }

    private void LoadPolicyLocked(SqliteTransaction? tx)
    {
        var settings = Volatile.Read(ref _settings);
        var blocks = ReadBlocksLocked(tx);
        var words = new List<(string, System.Text.RegularExpressions.Regex)>();
        foreach (var block in blocks.Where(b => b.Kind == BlockKind.Word))
        {
            try
            {
                words.Add((block.Value, PolicyCache.CompileWord(block.Value)));
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                // Checked when blocked; a pattern a newer runtime refuses is skipped rather than stopping ingest.
            }
        }

        var moderators = new HashSet<(string, string)>();
        using (var query = Command("SELECT key, community FROM moderators", tx))
        using (var reader = query.ExecuteReader())
        {
            while (reader.Read())
            {
                moderators.Add((Convert.ToHexStringLower((byte[])reader[0]), reader.GetString(1)));
            }
        }

        var follows = new HashSet<string>(StringComparer.Ordinal);
        using (var query = Command("SELECT key FROM follows", tx))
        using (var reader = query.ExecuteReader())
        {
            while (reader.Read())
            {
                follows.Add(Convert.ToHexStringLower((byte[])reader[0]));
            }
        }

        HashSet<string>? hiding = null;
        if (settings.TryGetValue(HidingLabelsSetting, out var labels) && labels.Trim() != "*")
        {
            hiding = labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        }

        _policy = new PolicyCache
        {
            Version = settings.TryGetValue(PolicyVersionSetting, out var version) ? version : string.Empty,
            BlockedAuthors = blocks.Where(b => b.Kind == BlockKind.Author).Select(b => b.Value).ToHashSet(StringComparer.Ordinal),
            BlockedCommunities = blocks.Where(b => b.Kind == BlockKind.Community).Select(b => b.Value).ToHashSet(StringComparer.Ordinal),
            BlockedWords = words,
            Moderators = moderators,
            Follows = follows,
            Charters = LoadChartersLocked(settings, follows, tx),
            HidingLabels = hiding,
            Seeding = SeedingPolicy.From(settings),
        };
    }

    private Dictionary<string, EffectiveCharter> LoadChartersLocked(Dictionary<string, string> settings, HashSet<string> follows, SqliteTransaction? tx)
    {
        var byCommunity = new Dictionary<string, List<CharterRecord>>(StringComparer.Ordinal);
        var options = ValidationOptions with { MaxFutureSkew = TimeSpan.MaxValue / 2, RequiredWork = (_, _) => 0 };
        using (var query = Command("SELECT r.bytes FROM charters ch JOIN records r ON r.id = ch.record", tx))
        using (var reader = query.ExecuteReader())
        {
            while (reader.Read())
            {
                if (RecordCodec.TryDecode((byte[])reader[0], options, out var record, out _) && record is CharterRecord charter)
                {
                    if (!byCommunity.TryGetValue(charter.CommunityName, out var list))
                    {
                        byCommunity[charter.CommunityName] = list = [];
                    }

                    list.Add(charter);
                }
            }
        }

        var effective = new Dictionary<string, EffectiveCharter>(StringComparer.Ordinal);
        foreach (var (community, charters) in byCommunity)
        {
            CharterRecord? chosen;
            if (settings.TryGetValue("charter." + community, out var founder))
            {
                chosen = charters.FirstOrDefault(c => string.Equals(c.AuthorHex, founder, StringComparison.OrdinalIgnoreCase));
            }
            else
            {
                chosen = charters.Where(c => _members.Contains(c.AuthorHex) || follows.Contains(c.AuthorHex))
                    .OrderByDescending(c => c.Created).ThenBy(c => c.Id).FirstOrDefault()
                    ?? (charters.Count == 1 ? charters[0] : null);
            }

            if (chosen is not null)
            {
                effective[community] = new EffectiveCharter(
                    community, chosen.Id, chosen.Author, chosen.Title, chosen.Rules, chosen.Moderators, chosen.PostDifficulty);
            }
        }

        return effective;
    }

    private List<Block> ReadBlocksLocked(SqliteTransaction? tx)
    {
        using var command = Command("SELECT kind, value, since FROM blocks ORDER BY since, kind, value", tx);
        using var reader = command.ExecuteReader();
        var blocks = new List<Block>();
        while (reader.Read())
        {
            if (Enum.TryParse<BlockKind>(reader.GetString(0), ignoreCase: true, out var kind))
            {
                blocks.Add(new Block(kind, reader.GetString(1), reader.GetInt64(2)));
            }
        }

        return blocks;
    }

    private static string BlockKindName(BlockKind kind) => kind.ToString().ToLowerInvariant();

    private static string NormalBlockValue(BlockKind kind, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (kind)
        {
            case BlockKind.Author:
                if (value.Length != 64 || !value.All(Uri.IsHexDigit))
                {
                    throw new ArgumentException("An author is blocked by public key: 64 hex characters.", nameof(value));
                }

                return value.ToLowerInvariant();
            case BlockKind.Community:
                if (!TextRules.IsValidCommunity(value))
                {
                    throw new ArgumentException($"'{value}' is not a community name (lowercase letters, digits, '-', '_', '.').", nameof(value));
                }

                return value;
            default:
                if (value.Length == 0 || value.Length > 1000)
                {
                    throw new ArgumentException("A blocked word is a pattern of 1 to 1000 characters.", nameof(value));
                }

                try
                {
                    PolicyCache.CompileWord(value);
                }
                catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
                {
                    throw new ArgumentException($"'{value}' is not a usable pattern: {ex.Message}", nameof(value), ex);
                }

                return value;
        }
    }
}
