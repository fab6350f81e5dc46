using Microsoft.Extensions.Logging;
using Upseed.Crypto;
using Upseed.Mqtt.Bridge;
using Upseed.Mqtt.Client;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Mqtt.Tests;

/// <summary>
/// A node as far as the bridge sees one: a real <see cref="RecordStore"/> in its own folder (proof of work set to 8
/// bits through the store's settings, as the store tests do) and a bridge on the store's own database. Records made
/// here are ingested, then offered to the bridge, as the node will do.
/// </summary>
internal sealed class TestNode : IAsyncDisposable
{
    public const int Work = 8;

    private readonly string _url;
    private readonly Func<MqttBridgeOptions, MqttBridgeOptions>? _configure;

    private TestNode(string name, string url, Func<MqttBridgeOptions, MqttBridgeOptions>? configure)
    {
        Folder = Path.Combine(Path.GetTempPath(), "upseed-mqtt-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Store = RecordStore.Open(Folder);
        Store.SetSetting("pow.post", Work.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Store.SetSetting("pow.identity", Work.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _url = url;
        _configure = configure;
        var seed = new byte[Ed25519.SeedSize];
        System.Text.Encoding.UTF8.GetBytes(name.PadRight(32, '.')[..32]).CopyTo(seed, 0);
        Key = Ed25519.FromSeed(seed);
        Factory = new RecordFactory(Key, Store.ValidationOptions);
    }

    public string Folder { get; }

    public RecordStore Store { get; }

    public Ed25519KeyPair Key { get; }

    public RecordFactory Factory { get; }

    public MqttBridge? Bridge { get; private set; }

    public TestLogger Logger { get; } = new();

    public static TestNode Start(string name, string url, Func<MqttBridgeOptions, MqttBridgeOptions>? configure = null)
    {
        var node = new TestNode(name, url, configure);
        node.StartBridge();
        return node;
    }

    public static MqttClientOptions FastClient(MqttClientOptions options) => options with
    {
        ReconnectDelayMin = TimeSpan.FromMilliseconds(100),
        ReconnectDelayMax = TimeSpan.FromSeconds(1),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>Opens a bridge on the store's database (as <c>upseed node --mqtt URL</c> will).</summary>
    public MqttBridge StartBridge()
    {
        var options = MqttBridgeOptions.Parse(_url) with { ConfigureClient = FastClient };
        options = _configure?.Invoke(options) ?? options;
        Bridge = MqttBridge.Open(options, new RecordStoreSink(Store), Store.DatabasePath, Logger);
        Bridge.Start();
        return Bridge;
    }

    public async Task StopBridgeAsync()
    {
        if (Bridge is not null)
        {
            await Bridge.DisposeAsync();
            Bridge = null;
        }
    }

    /// <summary>Stores a record made here and offers it to the bridge.</summary>
    public T Publish<T>(T record)
        where T : SignedRecord
    {
        var result = Store.Ingest(record.Bytes);
        Assert.True(result.Outcome == IngestOutcome.Accepted, $"{result.Outcome}: {result.Rejection}");
        Assert.Equal(MqttOfferResult.Queued, Bridge!.Offer(record));
        return record;
    }

    public async ValueTask DisposeAsync()
    {
        await StopBridgeAsync();
        Store.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the test.
        }
    }

    public void AssertNoErrors()
    {
        var errors = Logger.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Message).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }
}
