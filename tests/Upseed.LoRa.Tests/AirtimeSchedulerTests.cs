using Upseed.LoRa.Airtime;
using Upseed.LoRa.Frames;
using Upseed.LoRa.Radio;

namespace Upseed.LoRa.Tests;

public class AirtimeSchedulerTests
{
    private readonly FixedClock _clock = new();

    [Fact]
    public void TryDequeue_OwnPostsThenVotesThenRelayed()
    {
        var scheduler = new AirtimeScheduler(clock: _clock);
        scheduler.TryEnqueue(Frame(TransmitPriority.Relayed, 1));
        scheduler.TryEnqueue(Frame(TransmitPriority.Background, 2));
        scheduler.TryEnqueue(Frame(TransmitPriority.OwnVote, 3));
        scheduler.TryEnqueue(Frame(TransmitPriority.OwnRecord, 4));
        scheduler.TryEnqueue(Frame(TransmitPriority.OwnRecord, 5));

        var order = new List<uint>();
        while (scheduler.TryDequeue(out var frame))
        {
            order.Add(frame!.MessageId);
            scheduler.RecordTransmission(frame);
        }

        Assert.Equal([4u, 5, 3, 1, 2], order);
    }

    [Fact]
    public void TryDequeue_NotBeforeItsTime()
    {
        var scheduler = new AirtimeScheduler(clock: _clock);
        scheduler.TryEnqueue(Frame(TransmitPriority.OwnRecord, 1, notBefore: _clock.Now.AddSeconds(5)));

        Assert.False(scheduler.TryDequeue(out _));
        Assert.Equal(_clock.Now.AddSeconds(5), scheduler.NextAttemptAt());
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(scheduler.TryDequeue(out _));
    }

    [Fact]
    public void Budget_OnePercentHour_FullFramesUntilTheUsableAllowanceThenWaitForTheOldest()
    {
        // EU868 g1, 1%: 36 s an hour, 32.4 s usable (90%). A full LongFast frame (PL 255) lasts 2.1565 s: 15 fit.
        var scheduler = new AirtimeScheduler(new AirtimeSchedulerOptions { Region = LoRaRegion.Eu868G1 }, _clock);
        var first = _clock.Now;
        for (uint i = 0; i < 20; i++)
        {
            scheduler.TryEnqueue(Frame(TransmitPriority.OwnRecord, i));
        }

        var sent = 0;
        while (scheduler.TryDequeue(out var frame))
        {
            scheduler.RecordTransmission(frame!);
            sent++;
            _clock.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(15, sent);
        Assert.Equal(first + TimeSpan.FromHours(1), scheduler.NextAttemptAt());
        var usage = scheduler.Usage();
        Assert.Equal(scheduler.AirtimeOf(RadioLinkDefaults.MaxPayloadSize) * 15, usage.UsedInWindow);
        Assert.True(usage.FractionOfAllowance is > 0.89 and <= 0.9, usage.FractionOfAllowance.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(usage.UsedInWindow, usage.UsedByPriority[TransmitPriority.OwnRecord]);
        Assert.Equal(5, usage.Queued);

        _clock.Now = first + TimeSpan.FromHours(1);
        Assert.True(scheduler.TryDequeue(out _));
    }

    [Fact]
    public void Budget_BackgroundStopsAtItsShare()
    {
        var scheduler = new AirtimeScheduler(new AirtimeSchedulerOptions { Region = LoRaRegion.Eu868G1 }, _clock);
        for (uint i = 0; i < 20; i++)
        {
            scheduler.TryEnqueue(Frame(TransmitPriority.Background, i));
        }

        var sent = 0;
        while (scheduler.TryDequeue(out var frame))
        {
            scheduler.RecordTransmission(frame!);
            sent++;
        }

        Assert.Equal(7, sent); // 16.2 s of 32.4 s usable: 7 × 2.1565 s
        scheduler.TryEnqueue(Frame(TransmitPriority.OwnRecord, 99));
        Assert.True(scheduler.TryDequeue(out var own));
        Assert.Equal(99u, own!.MessageId);
    }

    [Fact]
    public void Us915Dwell_RefusesLongFastFramesAndSizesShortOnes()
    {
        var longFast = new AirtimeScheduler(new AirtimeSchedulerOptions { Region = LoRaRegion.Us915 }, _clock);
        Assert.False(longFast.TryEnqueue(Frame(TransmitPriority.OwnRecord, 1, size: 20)));
        Assert.Equal(0, longFast.MaxPayloadWithinDwell(RadioLinkDefaults.MaxPayloadSize));
        Assert.Equal(1, longFast.FramesRefused);

        var shortFast = new AirtimeScheduler(new AirtimeSchedulerOptions { Region = LoRaRegion.Us915, Preset = LoRaModemPreset.ShortFast }, _clock);
        Assert.True(shortFast.TryEnqueue(Frame(TransmitPriority.OwnRecord, 1)));
        Assert.Equal(RadioLinkDefaults.MaxPayloadSize, shortFast.MaxPayloadWithinDwell(RadioLinkDefaults.MaxPayloadSize));

        var mediumFast = new AirtimeScheduler(new AirtimeSchedulerOptions { Region = LoRaRegion.Us915, Preset = LoRaModemPreset.MediumFast }, _clock);
        var fits = mediumFast.MaxPayloadWithinDwell(RadioLinkDefaults.MaxPayloadSize);
        Assert.InRange(fits, 50, 230);
        Assert.True(mediumFast.AirtimeOf(fits) <= TimeSpan.FromMilliseconds(400));
        Assert.True(mediumFast.AirtimeOf(fits + 1) > TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public void Us915Meshtastic_HasNoLimits()
    {
        var scheduler = new AirtimeScheduler(new AirtimeSchedulerOptions { Region = LoRaRegion.Us915Meshtastic }, _clock);
        for (uint i = 0; i < 100; i++)
        {
            Assert.True(scheduler.TryEnqueue(Frame(TransmitPriority.Relayed, i)));
            Assert.True(scheduler.TryDequeue(out var frame));
            scheduler.RecordTransmission(frame!);
        }
    }

    [Fact]
    public void TryEnqueue_FullQueue_PushesOutTheLeastUrgent()
    {
        var scheduler = new AirtimeScheduler(new AirtimeSchedulerOptions { MaxQueuedFrames = 2 }, _clock);
        Assert.True(scheduler.TryEnqueue(Frame(TransmitPriority.Relayed, 1)));
        Assert.True(scheduler.TryEnqueue(Frame(TransmitPriority.Background, 2)));
        Assert.True(scheduler.TryEnqueue(Frame(TransmitPriority.OwnRecord, 3)));
        Assert.False(scheduler.TryEnqueue(Frame(TransmitPriority.Background, 4)));

        Assert.Equal([1u, 3], scheduler.Queued.Select(f => f.MessageId).Order().ToArray());
        Assert.Equal(2, scheduler.FramesRefused);
    }

    [Fact]
    public void Cancel_RemovesMatchingFrames()
    {
        var scheduler = new AirtimeScheduler(clock: _clock);
        scheduler.TryEnqueue(Frame(TransmitPriority.Relayed, 1));
        scheduler.TryEnqueue(Frame(TransmitPriority.Relayed, 2));

        Assert.Equal(1, scheduler.Cancel(f => f.MessageId == 1));
        Assert.Equal(2u, Assert.Single(scheduler.Queued).MessageId);
    }

    [Fact]
    public void Usage_HourlyHistory()
    {
        var scheduler = new AirtimeScheduler(clock: _clock);
        for (var i = 0; i < 3; i++)
        {
            scheduler.TryEnqueue(Frame(TransmitPriority.OwnRecord, (uint)i));
            Assert.True(scheduler.TryDequeue(out var frame));
            scheduler.RecordTransmission(frame!);
            _clock.Advance(TimeSpan.FromMinutes(40));
        }

        var hours = scheduler.Usage().Hours;
        Assert.Equal(3, hours.Sum(h => h.Frames));
        Assert.True(hours.Count >= 2);
        Assert.All(hours, h => Assert.Equal(0, h.HourStart.Minute));
    }

    private ScheduledFrame Frame(TransmitPriority priority, uint id, DateTimeOffset? notBefore = null, int size = RadioLinkDefaults.MaxPayloadSize) =>
        new(priority, new RadioPacket(RadioLinkDefaults.Broadcast, new byte[size]), notBefore ?? _clock.Now, MeshFrameType.RecordFragment, id);
}
