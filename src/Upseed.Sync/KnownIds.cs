using Upseed.Metainfo;

namespace Upseed.Sync;

/// <summary>A bounded set of ids, oldest forgotten first. Not thread-safe.</summary>
internal sealed class KnownIds(int capacity)
{
    private readonly HashSet<InfoHash> _set = new(Math.Min(capacity, 1024));
    private readonly Queue<InfoHash> _order = new();

    public bool Contains(InfoHash id) => _set.Contains(id);

    public void Add(InfoHash id)
    {
        if (capacity <= 0 || !_set.Add(id))
        {
            return;
        }

        _order.Enqueue(id);
        if (_order.Count > capacity)
        {
            _set.Remove(_order.Dequeue());
        }
    }
}
