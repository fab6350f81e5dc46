using Upseed.LoRa.Airtime;
using Upseed.LoRa.Mesh;
using Upseed.LoRa.Radio;

namespace Upseed.LoRa.Simulation;

/// <summary>
/// THIS IS A SIMULATION. Runs boxes (a <see cref="MeshRelay"/> each) over a <see cref="SimulatedRadioMedium"/> on its
/// virtual clock, doing what <see cref="MeshRelayPump"/> does over a real radio, but in event order with no threads:
/// after every event each box takes what its radio heard, reports finished sends, hands out the next frame, and asks
/// to be woken when it next has something to do.
/// </summary>
public sealed class MeshSimulation(SimulatedRadioMedium medium)
{
    private readonly List<Box> _boxes = [];

    public SimulatedRadioMedium Medium { get; } = medium ?? throw new ArgumentNullException(nameof(medium));

    public VirtualClock Clock => Medium.Clock;

    public void Add(SimulatedRadio radio, MeshRelay relay) => _boxes.Add(new Box(radio, relay));

    public void RunFor(TimeSpan duration) => RunUntil(Clock.Now + duration);

    /// <summary>Runs every event due up to <paramref name="until"/>; the clock ends there.</summary>
    public void RunUntil(DateTimeOffset until)
    {
        PumpAll();
        while (Clock.RunNext(until))
        {
            PumpAll();
        }

        Clock.AdvanceTo(until);
        PumpAll();
    }

    /// <summary>Runs until <paramref name="done"/> holds (checked after every event) or <paramref name="limit"/> passes.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(done);
        var until = Clock.Now + limit;
        PumpAll();
        while (!done())
        {
            if (!Clock.RunNext(until))
            {
                Clock.AdvanceTo(until);
                return done();
            }

            PumpAll();
        }

        return true;
    }

    private void PumpAll()
    {
        foreach (var box in _boxes)
        {
            Pump(box);
        }
    }

    private void Pump(Box box)
    {
        while (box.Radio.Received.TryRead(out var packet))
        {
            box.Relay.OnPacket(packet);
        }

        if (box.Sending is { } sending && sending.IsCompleted)
        {
            box.Relay.OnFrameSent(box.SendingFrame!, sending.Result);
            box.Sending = null;
        }

        while (box.Sending is null && box.Relay.TryTakeFrame(out var frame))
        {
            var send = box.Radio.SendAsync(frame!.Packet);
            if (send.IsCompleted)
            {
                box.Relay.OnFrameSent(frame, send.Result);
            }
            else
            {
                box.Sending = send.AsTask();
                box.SendingFrame = frame;
            }
        }

        var wake = box.Relay.NextWakeAt();
        if (wake > Clock.Now && (box.WakeAt is not { } scheduled || scheduled <= Clock.Now || wake < scheduled))
        {
            box.WakeAt = wake;
            Clock.Schedule(wake, static () => { });
        }
    }

    private sealed class Box(SimulatedRadio radio, MeshRelay relay)
    {
        public SimulatedRadio Radio { get; } = radio;

        public MeshRelay Relay { get; } = relay;

        public Task<RadioSendResult>? Sending { get; set; }

        public ScheduledFrame? SendingFrame { get; set; }

        public DateTimeOffset? WakeAt { get; set; }
    }
}
