using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Upseed.Dht.Node;

namespace Upseed.Dht.Tests.Simulation;

/// <summary>
/// An in-process datagram medium for many <see cref="DhtNode"/>s: each bound endpoint has an inbox; a datagram to an
/// endpoint nobody holds (a node that left) is lost, as on UDP. Lets tests use any addresses, e.g. public ones for
/// BEP 42, and hundreds of nodes without hundreds of sockets.
/// </summary>
internal sealed class InMemoryDhtNetwork
{
    private readonly ConcurrentDictionary<IPEndPoint, InMemoryDhtSocket> _sockets = new();
    private long _delivered;
    private long _lost;

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Lost => Interlocked.Read(ref _lost);

    /// <exception cref="InvalidOperationException">The endpoint is taken.</exception>
    public InMemoryDhtSocket Bind(IPEndPoint endPoint)
    {
        var socket = new InMemoryDhtSocket(this, endPoint);
        if (!_sockets.TryAdd(endPoint, socket))
        {
            throw new InvalidOperationException($"{endPoint} is already bound.");
        }

        return socket;
    }

    internal void Deliver(ReadOnlyMemory<byte> datagram, IPEndPoint from, IPEndPoint to)
    {
        if (_sockets.TryGetValue(to, out var socket) && socket.Enqueue(new DhtDatagram(datagram.ToArray(), from)))
        {
            Interlocked.Increment(ref _delivered);
        }
        else
        {
            Interlocked.Increment(ref _lost);
        }
    }

    internal void Unbind(InMemoryDhtSocket socket) => _sockets.TryRemove(new KeyValuePair<IPEndPoint, InMemoryDhtSocket>(socket.LocalEndPoint, socket));
}

/// <summary>One endpoint on an <see cref="InMemoryDhtNetwork"/>; its inbox drops datagrams when full, like a socket buffer.</summary>
internal sealed class InMemoryDhtSocket : IDhtSocket
{
    private readonly InMemoryDhtNetwork _network;
    private readonly Channel<DhtDatagram> _inbox = Channel.CreateBounded<DhtDatagram>(
        new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public InMemoryDhtSocket(InMemoryDhtNetwork network, IPEndPoint endPoint)
    {
        _network = network;
        LocalEndPoint = endPoint;
    }

    public IPEndPoint LocalEndPoint { get; }

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken)
    {
        _network.Deliver(datagram, LocalEndPoint, destination);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<DhtDatagram> ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _inbox.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException e)
        {
            throw new ObjectDisposedException(nameof(InMemoryDhtSocket), e);
        }
    }

    public ValueTask DisposeAsync()
    {
        _network.Unbind(this);
        _inbox.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    internal bool Enqueue(DhtDatagram datagram) => _inbox.Writer.TryWrite(datagram);
}
