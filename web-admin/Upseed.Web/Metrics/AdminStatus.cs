using System.Reflection;
using Upseed.Store;

namespace Upseed.Web;

/// <summary>
/// The dashboard's current figures and the parts of the box it has a place for. A part shows as available once its
/// figures arrive through <see cref="WebOptions.MetricSources"/> (names starting with its prefix); until then its slot
/// says which piece of work brings it.
/// </summary>
internal sealed class AdminStatus(
    RecordStore store, MetricsHistory history, SessionStore sessions, MemberKeyStore keys, HiddenList hidden, MetricsSampler sampler)
{
    private static readonly (string Name, string Prefix, string Waiting)[] s_slots =
    [
        ("Seeding engine", "seeding.", "starts with `upseed node`"),
        ("Community sync", "sync.", "arrives with the relay node (community sync)"),
        ("Seeders per post", "seeders.", "arrives with the relay node (seeder counts)"),
        ("Mainline DHT", "dht.", "arrives with discovery (DHT, LSD)"),
        ("MQTT uplink", "mqtt.", "arrives with the MQTT uplink"),
        ("LoRa mesh", "lora.", "arrives with the LoRa mesh uplink"),
    ];

    public static string Version { get; } =
        typeof(AdminStatus).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    public AdminStatusDto Current()
    {
        var latest = history.Latest() ?? Fresh();
        var values = latest.Values;
        var node = values.Where(v => !v.Key.StartsWith("store.", StringComparison.Ordinal) && !v.Key.StartsWith("web.", StringComparison.Ordinal))
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        var trackers = store.GetSetting("trackers");
        var slots = s_slots
            .Select(s => values.Keys.Any(k => k.StartsWith(s.Prefix, StringComparison.Ordinal))
                ? new FeatureSlotDto(s.Name, true, "running")
                : new FeatureSlotDto(s.Name, false, s.Waiting))
            .Append(string.IsNullOrWhiteSpace(trackers)
                ? new FeatureSlotDto("Trackers", false, "none configured (setting `trackers`)")
                : new FeatureSlotDto("Trackers", true, trackers))
            .ToList();
        return new AdminStatusDto(
            Version,
            (long)values.GetValueOrDefault(MetricsSampler.Records),
            (long)values.GetValueOrDefault(MetricsSampler.Posts),
            (long)values.GetValueOrDefault(MetricsSampler.Identities),
            (long)values.GetValueOrDefault(MetricsSampler.Pins),
            MetricsSampler.DiskSize(store),
            sessions.CountOf(SessionKind.Admin),
            sessions.CountOf(SessionKind.Member),
            keys.List().Count,
            hidden.Count,
            node,
            slots);
    }

    private MetricsSample Fresh()
    {
        sampler.Sample();
        return history.Latest()!;
    }
}
