using System.Net;
using System.Threading.Channels;
using Upseed.Torrent.Lsd;

namespace Upseed.Torrent.Tests.Lsd;

/// <summary>
/// An in-memory multicast group: every datagram sent by a member reaches every member, the sender included (as
/// multicast loopback does), with the sender's address as the source. Tests can also inject raw datagrams.
/// </summary>
internal sealed class LsdTestMedium
{
    private readonly List<Member> _members = [];
    private readonly Lock _lock = new();
    private int _sent;

    public int Sent => Volatile.Read(ref _sent);

    public ILsdTransport Join(IPAddress address)
    {
        var member = new Member(this, new IPEndPoint(address, 6771));
        lock (_lock)
        {
            _members.Add(member);
        }

        return member;
    }

    public void Inject(byte[] datagram, IPEndPoint source)
    {
        Member[] members;
        lock (_lock)
        {
            members = [.. _members];
        }

        foreach (var member in members)
        {
            member.Inbox.Writer.TryWrite((datagram, source));
        }
    }

    private void Leave(Member member)
    {
        lock (_lock)
        {
            _members.Remove(member);
        }
    }

    private sealed class Member(LsdTestMedium medium, IPEndPoint address) : ILsdTransport
    {
        public Channel<(byte[] Datagram, IPEndPoint Source)> Inbox { get; } = Channel.CreateUnbounded<(byte[], IPEndPoint)>();

        public string Host => "239.192.152.143:6771";

        public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref medium._sent);
            medium.Inject(datagram.ToArray(), address);
            return ValueTask.CompletedTask;
        }

        public async ValueTask<LsdDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            try
            {
                var (datagram, source) = await Inbox.Reader.ReadAsync(cancellationToken);
                var length = Math.Min(datagram.Length, buffer.Length);
                datagram.AsSpan(0, length).CopyTo(buffer.Span);
                return new LsdDatagram(length, source);
            }
            catch (ChannelClosedException ex)
            {
                throw new OperationCanceledException("Left the medium.", ex);
            }
        }

        public ValueTask DisposeAsync()
        {
            medium.Leave(this);
            Inbox.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
