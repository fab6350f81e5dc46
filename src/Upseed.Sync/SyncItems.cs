using Upseed.Store;
using Upseed.Sync.Reconciliation;

namespace Upseed.Sync;

internal static class SyncItems
{
    /// <summary>Stamps as reconciliation items, sorted and without duplicates (the store sorts; this only checks).</summary>
    public static SyncItem[] From(List<RecordStamp> stamps)
    {
        var items = new SyncItem[stamps.Count];
        var sorted = true;
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = SyncItem.From(stamps[i].Created, stamps[i].Id);
            sorted &= i == 0 || items[i - 1].CompareTo(items[i]) < 0;
        }

        if (sorted)
        {
            return items;
        }

        Array.Sort(items);
        var unique = 0;
        for (var i = 0; i < items.Length; i++)
        {
            if (unique == 0 || items[unique - 1] != items[i])
            {
                items[unique++] = items[i];
            }
        }

        return unique == items.Length ? items : items[..unique];
    }
}
