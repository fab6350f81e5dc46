using Upseed.LoRa.Airtime;

namespace Upseed.LoRa.Simulation;

/// <summary>
/// THIS IS A SIMULATION: there is no radio here. A model of a LoRa channel shared by N radios, for tests and the
/// mesh simulator:
/// <list type="bullet">
/// <item>a range graph: a radio hears only the radios it is linked to, each link with its own loss rate;</item>
/// <item>airtime per modem preset (Semtech's formula with Meshtastic's header and <c>Data</c> overhead);</item>
/// <item>half duplex and collisions: a reception fails when the receiver transmits meanwhile or when another
/// transmission it can hear overlaps it (no capture effect: the model is pessimistic);</item>
/// <item>listen before talk with a random back-off, as the firmware does;</item>
/// <item>each radio's firmware refuses packets past the region's duty cycle.</item>
/// </list>
/// Deterministic: a virtual clock and one seeded random source, used in event order.
/// </summary>
public sealed class SimulatedRadioMedium
{
    private readonly Dictionary<uint, SimulatedRadio> _radios = [];
    private readonly Dictionary<uint, Dictionary<uint, SimulatedLink>> _links = [];
    private readonly List<Transmission> _recent = [];
    private readonly Random _random;

    public SimulatedRadioMedium(SimulatedMediumOptions? options = null, DateTimeOffset? start = null)
    {
        Options = options ?? new SimulatedMediumOptions();
        Clock = new VirtualClock(start ?? DateTimeOffset.FromUnixTimeSeconds(1_763_781_234));
        _random = new Random(Options.Seed);
    }

    public SimulatedMediumOptions Options { get; }

    public VirtualClock Clock { get; }

    public MediumStatistics Statistics { get; } = new();

    public IReadOnlyCollection<SimulatedRadio> Radios => _radios.Values;

    /// <summary>Adds a radio with this node number.</summary>
    public SimulatedRadio AddRadio(uint nodeNumber)
    {
        var radio = new SimulatedRadio(this, nodeNumber);
        _radios.Add(nodeNumber, radio);
        _links[nodeNumber] = [];
        return radio;
    }

    /// <summary>Puts two radios in range of each other, both directions with the same link.</summary>
    public void Connect(uint a, uint b, SimulatedLink link)
    {
        _links[a][b] = link;
        _links[b][a] = link;
    }

    /// <summary>Radios numbered <paramref name="first"/>, +1, ... in a line, each in range of its neighbours only.</summary>
    public IReadOnlyList<SimulatedRadio> AddLine(int count, SimulatedLink link, uint first = 1)
    {
        var radios = new List<SimulatedRadio>();
        for (var i = 0; i < count; i++)
        {
            radios.Add(AddRadio(first + (uint)i));
            if (i > 0)
            {
                Connect(first + (uint)i - 1, first + (uint)i, link);
            }
        }

        return radios;
    }

    /// <summary>Time on air of a payload, Meshtastic overhead included.</summary>
    public TimeSpan AirtimeOf(int payloadBytes) => Options.Preset.TimeOnAir(MeshtasticPacketSize.PhyPayloadLength(payloadBytes));

    internal bool ChannelBusyAt(uint node, DateTimeOffset now, out DateTimeOffset clearAt)
    {
        clearAt = now;
        foreach (var tx in _recent)
        {
            if (tx.End > now && tx.Start <= now && (tx.Sender == node || _links[node].ContainsKey(tx.Sender)) && tx.End > clearAt)
            {
                clearAt = tx.End;
            }
        }

        return clearAt > now;
    }

    internal TimeSpan Backoff() => Options.BackoffSlot * _random.Next(1, 9);

    internal void Transmit(SimulatedRadio sender, byte[] payload, uint destination, Action<TimeSpan> completed)
    {
        var now = Clock.Now;
        var airtime = AirtimeOf(payload.Length);
        var tx = new Transmission(sender.LocalNode, now, now + airtime, payload, destination);
        _recent.Add(tx);
        Statistics.Transmissions++;
        Statistics.Airtime += airtime;
        Statistics.PayloadBytes += payload.Length;
        Clock.Schedule(tx.End, () =>
        {
            Finish(tx);
            completed(airtime);
        });
    }

    internal void RefusedForDutyCycle() => Statistics.DutyCycleRefusals++;

    private void Finish(Transmission tx)
    {
        foreach (var (receiver, link) in _links[tx.Sender])
        {
            if (Collides(tx, receiver))
            {
                Statistics.Collisions++;
                continue;
            }

            if (_random.NextDouble() < link.Loss)
            {
                Statistics.Lost++;
                continue;
            }

            Statistics.Delivered++;
            _radios[receiver].Deliver(tx.Sender, tx.Destination, tx.Payload, link);
        }

        // Keep what may still overlap a transmission in progress: none lasts longer than the longest frame.
        var horizon = Clock.Now - (AirtimeOf(Options.MaxPayloadSize) * 2);
        _recent.RemoveAll(t => t.End < horizon);
    }

    private bool Collides(Transmission tx, uint receiver)
    {
        foreach (var other in _recent)
        {
            if (ReferenceEquals(other, tx) || other.Start >= tx.End || other.End <= tx.Start)
            {
                continue;
            }

            if (other.Sender == receiver || _links[receiver].ContainsKey(other.Sender))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Transmission(uint Sender, DateTimeOffset Start, DateTimeOffset End, byte[] Payload, uint Destination);
}
