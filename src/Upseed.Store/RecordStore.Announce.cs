using Upseed.Metainfo;

namespace Upseed.Store;

public sealed partial class RecordStore
{
    /// <summary>
    /// The most recently pinned records pinned for one of <paramref name="reasons"/>, newest first: what a box
    /// announces to trackers when its budget allows only some (own posts and upvotes before policy pins).
    /// </summary>
    public IReadOnlyList<InfoHash> RecentPins(IReadOnlyList<string> reasons, int limit)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        if (reasons.Count == 0 || limit <= 0)
        {
            return [];
        }

        var names = string.Join(", ", reasons.Select((_, i) => "$r" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        lock (_gate)
        {
            using var command = Command($"""
                SELECT record FROM pins WHERE reason IN ({names}) AND NOT EXISTS (SELECT 1 FROM hidden h WHERE h.record = pins.record)
                GROUP BY record ORDER BY MAX(since) DESC, record LIMIT $limit
                """);
            for (var i = 0; i < reasons.Count; i++)
            {
                command.Parameters.AddWithValue("$r" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), reasons[i]);
            }

            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var ids = new List<InfoHash>();
            while (reader.Read())
            {
                ids.Add(new InfoHash((byte[])reader[0]));
            }

            return ids;
        }
    }
}
