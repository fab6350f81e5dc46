using System.Globalization;

namespace Upseed.Store;

/// <summary>
/// A box's seeding policy, read from its settings (<c>upseed policy set KEY VALUE</c>; the admin later). Every
/// default is written down; a missing or unreadable value means the default.
/// </summary>
public sealed record SeedingPolicy
{
    /// <summary>Setting: communities carried, comma-separated. Defaults to empty: every community.</summary>
    public const string CommunitiesSetting = "policy.communities";

    /// <summary>Setting: the most bytes of records to keep (the records' own bytes). Defaults to 0: no quota.</summary>
    public const string QuotaBytesSetting = "policy.quota.bytes";

    /// <summary>Setting: the most records to keep. Defaults to 0: no quota.</summary>
    public const string QuotaRecordsSetting = "policy.quota.records";

    /// <summary>Setting: days an unpinned post with no score is kept. Defaults to 30; 0 keeps posts until a quota needs room.</summary>
    public const string RetentionDaysSetting = "policy.retention.days";

    /// <summary>Setting: extra days kept per point of weighted score. Defaults to 3.</summary>
    public const string DaysPerPointSetting = "policy.retention.days-per-point";

    /// <summary>Setting: the longest an unpinned post is kept, however high its score. Defaults to 365.</summary>
    public const string MaxRetentionDaysSetting = "policy.retention.max-days";

    /// <summary>Setting: days the list of dropped records is kept (it also keeps them from coming straight back). Defaults to 90.</summary>
    public const string DroppedLogDaysSetting = "policy.dropped.keep-days";

    /// <summary>Setting: minutes a seeder observation counts. Defaults to 30.</summary>
    public const string SeederWindowSetting = "seeders.window-minutes";

    /// <summary>Every policy setting with what it means, for <c>upseed policy show</c> and the admin.</summary>
    public static IReadOnlyList<(string Key, string Meaning)> Settings { get; } =
    [
        (CommunitiesSetting, "communities carried, comma-separated (empty: all); others are not stored unless pinned"),
        (QuotaBytesSetting, "most bytes of records kept (0: no quota)"),
        (QuotaRecordsSetting, "most records kept (0: no quota)"),
        (RetentionDaysSetting, "days an unpinned post with no score is kept (0: until a quota needs room)"),
        (DaysPerPointSetting, "extra days kept per point of weighted score"),
        (MaxRetentionDaysSetting, "longest an unpinned post is kept"),
        (DroppedLogDaysSetting, "days the dropped list is kept (dropped records are refused meanwhile unless pinned)"),
        (SeederWindowSetting, "minutes a seeder observation counts"),
        (RecordStore.UnknownWeightSetting, "most an unknown voter's vote weighs (0-1)"),
        (RecordStore.FullAgeDaysSetting, "days after which an unknown voter's age no longer lowers its weight"),
        (RecordStore.HidingLabelsSetting, "labels that hide, comma-separated (* for all)"),
        ("pow.identity", "proof-of-work bits required of identities"),
        ("pow.post", "proof-of-work bits required of posts (a charter may raise it for its community)"),
        ("pow.post.<community>", "proof-of-work bits for one community (overrides the charter)"),
        ("limit.record.<community>", "largest record, in bytes, accepted in one community"),
        ("charter.<community>", "the founder key whose charter this box honours for the community"),
    ];

    /// <summary>Communities carried; empty means all.</summary>
    public IReadOnlySet<string> Communities { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Defaults to 0: no byte quota.</summary>
    public long QuotaBytes { get; init; }

    /// <summary>Defaults to 0: no record quota.</summary>
    public long QuotaRecords { get; init; }

    /// <summary>Defaults to 30 days.</summary>
    public double RetentionDays { get; init; } = 30;

    /// <summary>Defaults to 3 days per point.</summary>
    public double DaysPerPoint { get; init; } = 3;

    /// <summary>Defaults to 365 days.</summary>
    public double MaxRetentionDays { get; init; } = 365;

    /// <summary>Defaults to 90 days.</summary>
    public double DroppedLogDays { get; init; } = 90;

    /// <summary>Defaults to 30 minutes.</summary>
    public double SeederWindowMinutes { get; init; } = 30;

    /// <summary>True when the box carries the community.</summary>
    public bool Carries(string community) => Communities.Count == 0 || Communities.Contains(community);

    /// <summary>
    /// Until when an unpinned post is kept (unix seconds): created + min(max, retention + daysPerPoint × max(0,
    /// weighted score)) days. A post's comments are kept as long as the post (the thread fades as one). With
    /// retention 0, forever.
    /// </summary>
    public long KeepUntil(long created, double weightedScore)
    {
        if (RetentionDays <= 0)
        {
            return long.MaxValue;
        }

        var days = Math.Min(MaxRetentionDays, RetentionDays + (DaysPerPoint * Math.Max(0, weightedScore)));
        return created + (long)(days * 86_400);
    }

    /// <summary>Reads the policy from settings (key → value).</summary>
    public static SeedingPolicy From(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var communities = settings.TryGetValue(CommunitiesSetting, out var list)
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
            : [];
        return new SeedingPolicy
        {
            Communities = communities,
            QuotaBytes = (long)Number(settings, QuotaBytesSetting, 0),
            QuotaRecords = (long)Number(settings, QuotaRecordsSetting, 0),
            RetentionDays = Number(settings, RetentionDaysSetting, 30),
            DaysPerPoint = Number(settings, DaysPerPointSetting, 3),
            MaxRetentionDays = Number(settings, MaxRetentionDaysSetting, 365),
            DroppedLogDays = Number(settings, DroppedLogDaysSetting, 90),
            SeederWindowMinutes = Number(settings, SeederWindowSetting, 30),
        };
    }

    /// <summary>Checks a value before it is set: numbers where numbers are meant, community names in the list.</summary>
    public static bool TryValidate(string key, string value, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        problem = null;
        switch (key)
        {
            case CommunitiesSetting:
                var bad = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .FirstOrDefault(c => !Upseed.Records.TextRules.IsValidCommunity(c));
                problem = bad is null ? null : $"'{bad}' is not a community name (lowercase letters, digits, '-', '_', '.').";
                break;
            case QuotaBytesSetting or QuotaRecordsSetting or RetentionDaysSetting or DaysPerPointSetting or MaxRetentionDaysSetting
                or DroppedLogDaysSetting or SeederWindowSetting or RecordStore.FullAgeDaysSetting:
                problem = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= 0 && double.IsFinite(number)
                    ? null
                    : $"{key} takes a number, 0 or more.";
                break;
            case RecordStore.UnknownWeightSetting:
                problem = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) && weight is >= 0 and <= 1
                    ? null
                    : $"{key} takes a number from 0 to 1.";
                break;
            default:
                if (key.StartsWith("pow.", StringComparison.Ordinal))
                {
                    problem = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bits) && bits is >= 0 and <= Upseed.Crypto.ProofOfWork.MaxDifficulty
                        ? null
                        : $"{key} takes a number of bits from 0 to {Upseed.Crypto.ProofOfWork.MaxDifficulty}.";
                }
                else if (key.StartsWith("limit.record.", StringComparison.Ordinal))
                {
                    problem = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) && size > 0
                        ? null
                        : $"{key} takes a size in bytes, more than 0.";
                }
                else if (key.StartsWith("charter.", StringComparison.Ordinal))
                {
                    problem = value.Length == 64 && value.All(Uri.IsHexDigit) ? null : $"{key} takes a founder's public key (64 hex characters).";
                }

                break;
        }

        return problem is null;
    }

    private static double Number(IReadOnlyDictionary<string, string> settings, string key, double fallback) =>
        settings.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) && value >= 0
            ? value
            : fallback;
}
