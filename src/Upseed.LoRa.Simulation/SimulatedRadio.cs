using System.Threading.Channels;
using Upseed.LoRa.Airtime;
using Upseed.LoRa.Radio;

namespace Upseed.LoRa.Simulation;

/// <summary>
/// THIS IS A SIMULATION: no radio. One radio of a <see cref="SimulatedRadioMedium"/>, as an <see cref="IRadioLink"/>:
/// sends queue up and go one at a time (after listen-before-talk), each completing when its airtime has passed on the
/// virtual clock; packets heard are delivered when addressed to this node or broadcast, as Meshtastic's firmware
/// delivers them to the app.
/// </summary>
public sealed class SimulatedRadio : IRadioLink
{
    private readonly SimulatedRadioMedium _medium;
    private readonly Channel<ReceivedRadioPacket> _received = Channel.CreateUnbounded<ReceivedRadioPacket>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Queue<(RadioPacket Packet, TaskCompletionSource<RadioSendResult> Done)> _outbox = new();
    private readonly DutyCycleBudget _dutyCycle;
    private bool _transmitting;

    internal SimulatedRadio(SimulatedRadioMedium medium, uint localNode)
    {
        _medium = medium;
        LocalNode = localNode;
        _dutyCycle = new DutyCycleBudget(medium.Options.Region.Window);
    }

    public uint LocalNode { get; }

    public int MaxPayloadSize => _medium.Options.MaxPayloadSize;

    public ChannelReader<ReceivedRadioPacket> Received => _received.Reader;

    /// <summary>Packets handed to this radio so far.</summary>
    public long Sent { get; private set; }

    public ValueTask<RadioSendResult> SendAsync(RadioPacket packet, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (packet.Payload.Length > MaxPayloadSize)
        {
            return ValueTask.FromResult(new RadioSendResult(RadioSendStatus.TooLarge));
        }

        var airtime = _medium.AirtimeOf(packet.Payload.Length);
        var region = _medium.Options.Region;
        if (region.DutyCycle < 1 && _dutyCycle.Delay(_medium.Clock.Now, airtime, region.Allowance) != TimeSpan.Zero)
        {
            _medium.RefusedForDutyCycle();
            return ValueTask.FromResult(new RadioSendResult(RadioSendStatus.DutyCycleLimited));
        }

        // Counted when accepted, as the firmware counts its queue against the duty cycle.
        _dutyCycle.Add(_medium.Clock.Now, airtime);
        var done = new TaskCompletionSource<RadioSendResult>();
        _outbox.Enqueue((packet, done));
        Sent++;
        if (!_transmitting)
        {
            _transmitting = true;
            _medium.Clock.Schedule(_medium.Clock.Now, StartNext);
        }

        return new ValueTask<RadioSendResult>(done.Task);
    }

    public ValueTask DisposeAsync()
    {
        _received.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    internal void Deliver(uint from, uint to, byte[] payload, SimulatedLink link)
    {
        if (to == RadioLinkDefaults.Broadcast || to == LocalNode)
        {
            _received.Writer.TryWrite(new ReceivedRadioPacket(from, to, payload, _medium.Clock.Now, link.Snr, link.Rssi));
        }
    }

    private void StartNext()
    {
        if (!_outbox.TryPeek(out var next))
        {
            _transmitting = false;
            return;
        }

        var now = _medium.Clock.Now;
        if (_medium.Options.CarrierSense && _medium.ChannelBusyAt(LocalNode, now, out var clearAt))
        {
            _medium.Clock.Schedule(clearAt + _medium.Backoff(), StartNext);
            return;
        }

        _outbox.Dequeue();
        _medium.Transmit(this, next.Packet.Payload.ToArray(), next.Packet.Destination, airtime =>
        {
            next.Done.SetResult(new RadioSendResult(RadioSendStatus.Sent, airtime));
            StartNext();
        });
    }
}
