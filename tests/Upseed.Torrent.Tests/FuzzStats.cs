namespace Upseed.Torrent.Tests;

/// <summary>What a fuzz run reached: how often each outcome and each rejection reason came up.</summary>
internal sealed class FuzzStats
{
    public Dictionary<string, int> Accepts { get; } = [];

    public Dictionary<string, int> Rejections { get; } = [];

    public int AcceptedCount => Accepts.Values.Sum();

    public static FuzzStats Combine(IEnumerable<FuzzStats> parts)
    {
        var total = new FuzzStats();
        foreach (var part in parts)
        {
            foreach (var (key, count) in part.Accepts)
            {
                total.Accepts[key] = total.Accepts.GetValueOrDefault(key) + count;
            }

            foreach (var (key, count) in part.Rejections)
            {
                total.Rejections[key] = total.Rejections.GetValueOrDefault(key) + count;
            }
        }

        return total;
    }

    public void Accepted(string kind) => Accepts[kind] = Accepts.GetValueOrDefault(kind) + 1;

    public void Rejected(string reason) => Rejections[reason] = Rejections.GetValueOrDefault(reason) + 1;

    public override string ToString() =>
        $"accepted {{{string.Join(", ", Accepts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"))}}}; "
        + $"rejected {{{string.Join(", ", Rejections.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"))}}}";
}
