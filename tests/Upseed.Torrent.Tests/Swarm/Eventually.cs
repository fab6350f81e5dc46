using System.Diagnostics;

namespace Upseed.Torrent.Tests.Swarm;

/// <summary>Polls a condition until it holds or a deadline passes (no fixed sleeps: it returns as soon as it holds).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan within, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > within)
            {
                Assert.Fail($"Not true within {within.TotalSeconds:0.#} s: {what}");
            }

            await Task.Delay(10);
        }
    }
}
