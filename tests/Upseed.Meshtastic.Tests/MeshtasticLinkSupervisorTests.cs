using System.Text;
using Upseed.Meshtastic.Link;
using Upseed.Meshtastic.Protobufs;
using static Upseed.Meshtastic.Tests.LinkTestHelpers;

namespace Upseed.Meshtastic.Tests;

public sealed class MeshtasticLinkSupervisorTests
{
    [Fact]
    public async Task RadioDropsConnection_SupervisorReconnectsAndSubscriptionKeepsWorking()
    {
        await using var radio = FakeMeshtasticRadio.StartTcp();
        await using var link = new MeshtasticLinkSupervisor(MeshtasticEndpoint.Tcp("127.0.0.1", radio.Port), FastOptions);
        using var texts = link.Subscribe(MeshtasticPortNumbers.TextMessage);
        link.Start();
        await link.WaitUntilReadyAsync().WaitAsync(Hang);
        var firstNonce = (await radio.WaitForAsync(m => m.PayloadVariantCase == ToRadio.PayloadVariantOneofCase.WantConfigId)).WantConfigId;
        await radio.SendTextAsync(FakeMeshtasticRadio.NeighbourNumber, FakeMeshtasticRadio.NodeNumber, "before");
        Assert.Equal("before", Encoding.UTF8.GetString((await texts.NextAsync()).Payload.Span));

        radio.DropClient();

        // A fresh handshake with a new nonce, then the same subscription gets packets from the new connection.
        var secondNonce = (await radio.WaitForAsync(m => m.PayloadVariantCase == ToRadio.PayloadVariantOneofCase.WantConfigId)).WantConfigId;
        Assert.NotEqual(firstNonce, secondNonce);
        await EventuallyAsync(() => link.ConnectionsMade == 2 && link.State == MeshtasticLinkState.Ready, "second connection ready");
        await radio.SendTextAsync(FakeMeshtasticRadio.NeighbourNumber, FakeMeshtasticRadio.NodeNumber, "after");
        Assert.Equal("after", Encoding.UTF8.GetString((await texts.NextAsync()).Payload.Span));
        Assert.Equal(MeshtasticSendStatus.Sent, (await link.SendAsync(new MeshtasticOutgoingPacket { Payload = new byte[] { 7 } })).Status);
        Assert.Equal(2, radio.Connections);
    }

    [Fact]
    public async Task RadioNotThereYet_SupervisorRetriesUntilItIs()
    {
        // The supervisor starts against a radio that refuses the first connections (no listener behind the stream
        // factory) and connects once it is up.
        await using var radio = FakeMeshtasticRadio.StartTcp();
        var attempts = 0;
        await using var link = new MeshtasticLinkSupervisor(
            async ct =>
            {
                if (Interlocked.Increment(ref attempts) < 3)
                {
                    throw new IOException("radio not plugged in yet");
                }

                return await MeshtasticTransport.OpenAsync(MeshtasticEndpoint.Tcp("127.0.0.1", radio.Port), FastOptions, ct);
            },
            "test radio",
            FastOptions);
        Assert.Equal(MeshtasticSendStatus.NotConnected, (await link.SendAsync(new MeshtasticOutgoingPacket { Payload = new byte[1] })).Status);

        link.Start();
        await link.WaitUntilReadyAsync().WaitAsync(Hang);

        Assert.Equal(3, link.ConnectAttempts);
        Assert.True(link.TryGetRadio(out var info));
        Assert.Equal(FakeMeshtasticRadio.NodeNumber, info!.MyNodeNumber);
    }

    [Fact]
    public async Task RadioAnswersGarbageOnly_HandshakeFailsAndIsRetried()
    {
        await using var radio = FakeMeshtasticRadio.StartTcp();
        radio.AnswerConfig = false;
        var options = FastOptions with { HandshakeTimeout = TimeSpan.FromMilliseconds(200) };
        await using var link = new MeshtasticLinkSupervisor(MeshtasticEndpoint.Tcp("127.0.0.1", radio.Port), options);
        link.Start();

        await EventuallyAsync(() => radio.Connections >= 2, "a second attempt after the handshake timed out");
        radio.AnswerConfig = true;
        await link.WaitUntilReadyAsync().WaitAsync(Hang);
    }

    [Fact]
    public async Task DisposeAsync_StopsAndFailsWaiters()
    {
        await using var radio = FakeMeshtasticRadio.StartTcp();
        var link = new MeshtasticLinkSupervisor(MeshtasticEndpoint.Tcp("127.0.0.1", radio.Port), FastOptions);
        link.Start();
        await link.WaitUntilReadyAsync().WaitAsync(Hang);

        await link.DisposeAsync();

        Assert.Equal(MeshtasticLinkState.Closed, link.State);
        await radio.WaitForAsync(m => m.PayloadVariantCase == ToRadio.PayloadVariantOneofCase.Disconnect);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => link.WaitUntilReadyAsync());
    }
}
