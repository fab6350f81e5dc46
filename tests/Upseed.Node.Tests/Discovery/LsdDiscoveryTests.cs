using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Upseed.Node.Discovery;
using Upseed.Torrent.Lsd;

namespace Upseed.Node.Tests.Discovery;

/// <summary>
/// Two nodes on one LAN with no DHT between them (both isolated): LSD alone puts each in the other's community swarm.
/// The multicast group is an in-memory medium (every datagram to every member, the sender included, as multicast
/// loopback does), plugged in through the node's injectable LSD transport.
/// </summary>
public sealed class LsdDiscoveryTests
{
    [Fact]
    public async Task TwoNodes_FindEachOtherThroughLsd_ForTheCommunitiesTheyCarry()
    {
        var medium = new Medium();
        await using var a = await TestNode.StartAsync(TestNode.MakeFolder(out var keyA, out _, "garden"), keyA, bootstrap: [], lsd: true, lsdTransports: medium.Join);
        await using var b = await TestNode.StartAsync(TestNode.MakeFolder(out var keyB, out _, "garden", "radio"), keyB, bootstrap: [], lsd: true, lsdTransports: medium.Join);
        var garden = SwarmKeys.Community("garden");

        await TestNode.WaitUntilAsync(() => a.Discovery.KnownPeers.Get(garden).Any(p => p.EndPoint.Equals(b.PeerEndPoint)), "a never heard b");
        await TestNode.WaitUntilAsync(() => b.Discovery.KnownPeers.Get(garden).Any(p => p.EndPoint.Equals(a.PeerEndPoint)), "b never heard a");

        Assert.All(a.Discovery.KnownPeers.Get(garden), p => Assert.Equal(PeerSource.Lsd, p.Source));
        Assert.DoesNotContain(b.Discovery.KnownPeers.Get(garden), p => p.EndPoint.Equals(b.PeerEndPoint));

        // a does not carry radio, so b's announce of it is not a's business.
        Assert.Empty(a.Discovery.KnownPeers.Get(SwarmKeys.Community("radio")));
        var lsd = a.Discovery.Status().Lsd!;
        Assert.True(lsd.Running);
        Assert.Equal(2, lsd.Groups);
        Assert.True(lsd.PeersFound >= 1);
    }

    private sealed class Medium
    {
        private readonly Lock _gate = new();
        private readonly List<Member> _members = [];

        public ILsdTransport Join(AddressFamily family)
        {
            var member = new Member(this, family == AddressFamily.InterNetworkV6 ? LsdMessage.IPv6Host : LsdMessage.IPv4Host);
            lock (_gate)
            {
                _members.Add(member);
            }

            return member;
        }

        private void Send(Member from, byte[] datagram)
        {
            lock (_gate)
            {
                foreach (var member in _members.Where(m => m.Host == from.Host))
                {
                    member.Inbox.Writer.TryWrite(datagram);
                }
            }
        }

        private sealed class Member(Medium medium, string host) : ILsdTransport
        {
            public Channel<byte[]> Inbox { get; } = Channel.CreateUnbounded<byte[]>();

            public string Host { get; } = host;

            public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
            {
                medium.Send(this, datagram.ToArray());
                return ValueTask.CompletedTask;
            }

            public async ValueTask<LsdDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
            {
                var datagram = await Inbox.Reader.ReadAsync(cancellationToken);
                datagram.CopyTo(buffer);
                var source = Host == LsdMessage.IPv6Host ? IPAddress.IPv6Loopback : IPAddress.Loopback;
                return new LsdDatagram(Math.Min(datagram.Length, buffer.Length), new IPEndPoint(source, 6771));
            }

            public ValueTask DisposeAsync()
            {
                Inbox.Writer.TryComplete();
                return ValueTask.CompletedTask;
            }
        }
    }
}
