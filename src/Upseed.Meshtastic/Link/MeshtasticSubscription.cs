using System.Threading.Channels;

namespace Upseed.Meshtastic.Link;

/// <summary>
/// Received packets on one port number, in arrival order. When the reader falls behind by more than the capacity the
/// oldest packets are dropped (and counted): the radio cannot be paused. Dispose to stop receiving.
/// </summary>
public sealed class MeshtasticSubscription : IDisposable
{
    private readonly Channel<MeshtasticPacket> _channel;
    private readonly Action<MeshtasticSubscription> _unsubscribe;
    private long _dropped;

    internal MeshtasticSubscription(uint portNumber, int capacity, Action<MeshtasticSubscription> unsubscribe)
    {
        PortNumber = portNumber;
        _unsubscribe = unsubscribe;
        _channel = Channel.CreateBounded<MeshtasticPacket>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = false, SingleWriter = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public uint PortNumber { get; }

    public ChannelReader<MeshtasticPacket> Reader => _channel.Reader;

    /// <summary>Packets dropped because the reader fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void Publish(MeshtasticPacket packet) => _channel.Writer.TryWrite(packet);

    public void Dispose()
    {
        _unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
