namespace Upseed.Torrent.Swarm;

/// <summary>
/// Upload slots shared by every seeding session of a node, given round-robin: an interested peer is unchoked at once
/// when a slot is free (posts are one block, so most peers finish within milliseconds); otherwise it waits in line,
/// and every rechoke interval the peers that have held a slot longest while others wait are choked and sent to the
/// back of the line. Nobody waits forever and nobody hogs a slot.
/// </summary>
internal sealed class UploadChoker
{
    private readonly int _slots;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<IChokeable, long> _unchoked = [];
    private readonly LinkedList<IChokeable> _waiting = new();

    public UploadChoker(int slots, TimeProvider clock)
    {
        _slots = Math.Max(1, slots);
        _clock = clock;
    }

    public int Unchoked
    {
        get
        {
            lock (_gate)
            {
                return _unchoked.Count;
            }
        }
    }

    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>A peer became interested: true when it may be unchoked now; otherwise it is queued.</summary>
    public bool Request(IChokeable peer)
    {
        lock (_gate)
        {
            if (_unchoked.ContainsKey(peer))
            {
                return true;
            }

            if (_unchoked.Count < _slots)
            {
                _unchoked[peer] = _clock.GetTimestamp();
                return true;
            }

            if (!_waiting.Contains(peer))
            {
                _waiting.AddLast(peer);
            }

            return false;
        }
    }

    /// <summary>A peer lost interest or left: frees its slot (or its place in line) and hands the slot on.</summary>
    public void Release(IChokeable peer)
    {
        IChokeable? next = null;
        lock (_gate)
        {
            _waiting.Remove(peer);
            if (_unchoked.Remove(peer) && _waiting.First is { } first)
            {
                next = first.Value;
                _waiting.RemoveFirst();
                _unchoked[next] = _clock.GetTimestamp();
            }
        }

        next?.Unchoke();
    }

    /// <summary>Rotates slots held longer than <paramref name="interval"/> while peers wait.</summary>
    public void Rechoke(TimeSpan interval)
    {
        var choke = new List<IChokeable>();
        var unchoke = new List<IChokeable>();
        lock (_gate)
        {
            // Only peers that were waiting when the rechoke began take a slot: a holder choked here joins the back of
            // the line and must not be handed a slot again (by the next expired holder) in the same pass.
            var expired = _unchoked.Where(p => _clock.GetElapsedTime(p.Value) >= interval)
                .OrderBy(p => p.Value).Select(p => p.Key).Take(_waiting.Count).ToList();
            foreach (var peer in expired)
            {
                var next = _waiting.First!.Value;
                _waiting.RemoveFirst();
                _unchoked.Remove(peer);
                _unchoked[next] = _clock.GetTimestamp();
                _waiting.AddLast(peer);
                choke.Add(peer);
                unchoke.Add(next);
            }
        }

        foreach (var peer in choke)
        {
            peer.Choke();
        }

        foreach (var peer in unchoke)
        {
            peer.Unchoke();
        }
    }
}

/// <summary>A session the choker can choke and unchoke (it sends the message from its own context).</summary>
internal interface IChokeable
{
    void Choke();

    void Unchoke();
}
