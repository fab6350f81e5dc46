using System.Net;
using Upseed.Dht.Node;
using Upseed.Dht.Tests.Simulation;

namespace Upseed.Dht.Tests.Node;

/// <summary>BEP 42 on an in-memory medium, which lets nodes hold public addresses (loopback is exempt from BEP 42).</summary>
public sealed class DhtBep42Tests
{
    private static readonly DhtNodeOptions s_options = new()
    {
        QueryTimeout = TimeSpan.FromSeconds(10),
        RateLimitPerSecond = 100_000,
        RateLimitBurst = 100_000,
    };

    [Fact]
    public async Task Enforcing_KeepsNonCompliantPublicNodesOutOfTheTable_ButExemptAddressesIn()
    {
        var network = new InMemoryDhtNetwork();
        var enforcerAddress = IPAddress.Parse("124.31.75.21");
        await using var enforcer = new DhtNode(
            network.Bind(new IPEndPoint(enforcerAddress, 6881)),
            NodeIdRestriction.CreateRandom(enforcerAddress),
            TimeProvider.System,
            s_options with { EnforceNodeIdRestriction = true });
        var others = new List<DhtNode>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var address = IPAddress.Parse($"21.75.31.{100 + i}");
                var compliant = i % 2 == 0;
                others.Add(new DhtNode(
                    network.Bind(new IPEndPoint(address, 6881)),
                    compliant ? NodeIdRestriction.CreateRandom(address) : NodeId.Random(),
                    TimeProvider.System,
                    s_options));
            }

            var exempt = new DhtNode(network.Bind(new IPEndPoint(IPAddress.Parse("10.0.0.7"), 6881)), NodeId.Random(), TimeProvider.System, s_options);
            others.Add(exempt);

            foreach (var other in others)
            {
                await enforcer.PingAsync(other.EndPoint); // a response from it
                await other.PingAsync(enforcer.EndPoint); // a query from it, still answered
            }

            for (var i = 0; i < 6; i++)
            {
                Assert.Equal(i % 2 == 0, enforcer.Knows(others[i].Id));
            }

            Assert.True(enforcer.Knows(exempt.Id));

            // A lookup through a non-compliant responder uses its referrals but never asks it to store.
            var lookup = await enforcer.LookupAsync(NodeId.Random());
            Assert.DoesNotContain(lookup.Closest, c => !NodeIdRestriction.IsValid(c.Node.Id, c.Node.EndPoint.Address));
        }
        finally
        {
            foreach (var other in others)
            {
                await other.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ExternalAddress_VotedFromResponses_AndIdDerivedWhenConfigured()
    {
        var network = new InMemoryDhtNetwork();
        var ourAddress = IPAddress.Parse("65.23.51.170");
        var original = NodeId.Random();
        await using var node = new DhtNode(
            network.Bind(new IPEndPoint(ourAddress, 6881)),
            original,
            TimeProvider.System,
            s_options with { DeriveIdFromExternalAddress = true, ExternalAddressMinVotes = 3 });
        var responders = new List<DhtNode>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var address = IPAddress.Parse($"84.124.73.{i + 1}");
                responders.Add(new DhtNode(network.Bind(new IPEndPoint(address, 6881)), NodeIdRestriction.CreateRandom(address), TimeProvider.System, s_options));
            }

            Assert.Null(node.ExternalAddress);
            await node.PingAsync(responders[0].EndPoint);
            await node.PingAsync(responders[1].EndPoint);

            Assert.Equal(ourAddress, node.ExternalAddress);
            Assert.Equal(2, node.ExternalAddressVotes);
            Assert.Equal(original, node.Id); // two votes are not enough to change the id

            await node.PingAsync(responders[2].EndPoint);

            Assert.NotEqual(original, node.Id);
            Assert.True(NodeIdRestriction.IsValid(node.Id, ourAddress));

            // The table moved to the new id with what it knew, and the node answers under its new id.
            Assert.True(node.Knows(responders[0].Id));
            var reply = await responders[3].PingAsync(node.EndPoint);
            Assert.Equal(node.Id, reply.Id);
        }
        finally
        {
            foreach (var responder in responders)
            {
                await responder.DisposeAsync();
            }
        }
    }
}
