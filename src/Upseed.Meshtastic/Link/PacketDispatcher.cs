namespace Upseed.Meshtastic.Link;

/// <summary>Hands received packets to the subscriptions of their port. Shared by a supervisor's successive connections.</summary>
internal sealed class PacketDispatcher
{
    private readonly Lock _gate = new();
    private readonly int _capacity;
    private MeshtasticSubscription[] _subscriptions = [];
    private long _unclaimed;

    public PacketDispatcher(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Packets that arrived on a port nobody subscribed to.</summary>
    public long Unclaimed => Interlocked.Read(ref _unclaimed);

    public MeshtasticSubscription Subscribe(uint portNumber)
    {
        var subscription = new MeshtasticSubscription(portNumber, _capacity, Remove);
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        return subscription;
    }

    public void Publish(MeshtasticPacket packet)
    {
        var delivered = false;
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.PortNumber == packet.PortNumber)
            {
                subscription.Publish(packet);
                delivered = true;
            }
        }

        if (!delivered)
        {
            Interlocked.Increment(ref _unclaimed);
        }
    }

    private void Remove(MeshtasticSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions.Where(s => !ReferenceEquals(s, subscription))];
        }
    }
}
