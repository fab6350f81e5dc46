using Upseed.Meshtastic.Link;

namespace Upseed.Meshtastic.Tests;

internal static class LinkTestHelpers
{
    /// <summary>Only hung code reaches this: every wait in these tests is for something that happens promptly.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    /// <summary>Fast retries, so reconnect tests do not wait a second per attempt.</summary>
    public static MeshtasticLinkOptions FastOptions { get; } = new()
    {
        InitialReconnectDelay = TimeSpan.FromMilliseconds(20),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        HandshakeTimeout = Hang,
    };

    public static async Task<MeshtasticPacket> NextAsync(this MeshtasticSubscription subscription) =>
        await subscription.Reader.ReadAsync().AsTask().WaitAsync(Hang);

    /// <summary>Polls a condition that another task makes true soon (a counter, a state), without a fixed sleep.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        using var cts = new CancellationTokenSource(Hang);
        while (!condition())
        {
            if (cts.IsCancellationRequested)
            {
                Assert.Fail("Timed out waiting for: " + what);
            }

            await Task.Delay(10);
        }
    }
}
