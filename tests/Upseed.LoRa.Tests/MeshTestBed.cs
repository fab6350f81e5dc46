using System.Globalization;
using Upseed.LoRa.Airtime;
using Upseed.LoRa.Mesh;
using Upseed.LoRa.Simulation;
using Upseed.Store;

namespace Upseed.LoRa.Tests;

/// <summary>
/// Boxes on a simulated line (no radio: <see cref="SimulatedRadioMedium"/>), each with a real <see cref="RecordStore"/>
/// in its own temporary folder (proof of work 8 bits) and a <see cref="MeshRelay"/>. Radio parameters: LongFast,
/// EU_868 (10%), 231-byte payloads, the given loss on every link.
/// </summary>
internal sealed class MeshTestBed : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "upseed-lora-tests", Guid.NewGuid().ToString("N"));

    public MeshTestBed(int boxes, double loss, int seed = 1, OnAirPolicy? policy = null)
    {
        Medium = new SimulatedRadioMedium(new SimulatedMediumOptions { Preset = LoRaModemPreset.LongFast, Region = LoRaRegion.Eu868, Seed = seed });
        Simulation = new MeshSimulation(Medium);
        var radios = Medium.AddLine(boxes, new SimulatedLink(loss));
        for (var i = 0; i < boxes; i++)
        {
            var store = RecordStore.Open(Path.Combine(_folder, i.ToString(CultureInfo.InvariantCulture)), new StoreOptions { Clock = Medium.Clock, SynchronousFull = false });
            store.SetSetting("pow.post", LoRaKit.Work.ToString(CultureInfo.InvariantCulture));
            store.SetSetting("pow.identity", LoRaKit.Work.ToString(CultureInfo.InvariantCulture));
            var sink = new StoreSink(store);
            var scheduler = new AirtimeScheduler(new AirtimeSchedulerOptions { Preset = Medium.Options.Preset, Region = Medium.Options.Region }, Medium.Clock);
            var relay = new MeshRelay(radios[i].LocalNode, radios[i].MaxPayloadSize, sink, policy, null, scheduler, Medium.Clock, new Random(seed * 1000 + i));
            Simulation.Add(radios[i], relay);
            Stores.Add(store);
            Sinks.Add(sink);
            Relays.Add(relay);
        }
    }

    public SimulatedRadioMedium Medium { get; }

    public MeshSimulation Simulation { get; }

    public List<RecordStore> Stores { get; } = [];

    public List<StoreSink> Sinks { get; } = [];

    public List<MeshRelay> Relays { get; } = [];

    public Upseed.Records.RecordFactory Factory(int key) => new(LoRaKit.Key(key), Stores[0].ValidationOptions);

    public void Dispose()
    {
        foreach (var store in Stores)
        {
            store.Dispose();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the test.
        }
    }
}
