using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Upseed.LoRa.Airtime;
using Upseed.LoRa.Radio;
using Upseed.Records;

namespace Upseed.LoRa.Mesh;

/// <summary>
/// Drives a <see cref="MeshRelay"/> over a real <see cref="IRadioLink"/>: one loop reads what the radio hears, one
/// sends what the relay hands out, one frame at a time, sleeping until the relay's next wake-up. All calls into the
/// relay go through one lock, so <see cref="Publish"/> may be called from any thread. The link stays the caller's.
/// </summary>
public sealed partial class MeshRelayPump(MeshRelay relay, IRadioLink link, TimeProvider? clock = null, ILogger? logger = null) : IDisposable
{
    /// <summary>Longest sleep between checks, so a clock change or a missed signal never stalls the pump for long.</summary>
    private static readonly TimeSpan s_maxSleep = TimeSpan.FromSeconds(30);

    private readonly MeshRelay _relay = relay ?? throw new ArgumentNullException(nameof(relay));
    private readonly IRadioLink _link = link ?? throw new ArgumentNullException(nameof(link));
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>See <see cref="MeshRelay.Publish"/>.</summary>
    public OnAirDecision Publish(SignedRecord record, bool own)
    {
        OnAirDecision decision;
        lock (_gate)
        {
            decision = _relay.Publish(record, own);
        }

        Signal();
        return decision;
    }

    /// <summary>The airtime budget, for the admin.</summary>
    public AirtimeUsage Usage()
    {
        lock (_gate)
        {
            return _relay.Usage();
        }
    }

    /// <summary>Runs until cancelled. A failing send is logged and retried later; it does not end the loop.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = ReceiveAsync(stop.Token);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Airtime.ScheduledFrame? frame;
                DateTimeOffset wakeAt = default;
                lock (_gate)
                {
                    if (!_relay.TryTakeFrame(out frame))
                    {
                        wakeAt = _relay.NextWakeAt();
                    }
                }

                if (frame is not null)
                {
                    RadioSendResult result;
                    try
                    {
                        result = await _link.SendAsync(frame.Packet, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogSendFailed(_logger, ex);
                        result = new RadioSendResult(RadioSendStatus.Failed);
                    }

                    lock (_gate)
                    {
                        _relay.OnFrameSent(frame, result);
                    }

                    continue;
                }

                var sleep = wakeAt - _clock.GetUtcNow();
                sleep = sleep < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : sleep > s_maxSleep ? s_maxSleep : sleep;
                await _wake.WaitAsync(sleep, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await receiving.ConfigureAwait(false);
        }
    }

    public void Dispose() => _wake.Dispose();

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var packet in _link.Received.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    _relay.OnPacket(packet);
                }

                Signal();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void Signal()
    {
        lock (_wake)
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LoRa: sending a frame failed")]
    private static partial void LogSendFailed(ILogger logger, Exception exception);
}
