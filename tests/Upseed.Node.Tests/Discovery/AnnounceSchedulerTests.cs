using FsCheck;
using FsCheck.Fluent;
using Upseed.Metainfo;
using Upseed.Node.Discovery;

namespace Upseed.Node.Tests.Discovery;

public sealed class AnnounceSchedulerTests
{
    private readonly FixedClock _clock = new();

    [Fact]
    public void TakeDue_OwnPostsBeforeUpvotesBeforeCommunities_WithinTheBudget()
    {
        var scheduler = new AnnounceScheduler(_clock, announcesPerMinute: 3);
        scheduler.SetTargets([Community("c1"), Upvote(1), Own(2), Community("c2"), Own(3), Upvote(4)]);

        var first = scheduler.TakeDue();

        Assert.Equal([AnnounceKind.OwnPost, AnnounceKind.OwnPost, AnnounceKind.Upvote], first.Select(t => t.Kind));
        Assert.Equal([Key(2), Key(3), Key(1)], first.Select(t => t.Key));
        Assert.Empty(scheduler.TakeDue());
    }

    [Fact]
    public void TakeDue_BudgetRefillsAtTheRatePerMinute_CappedAtOneMinutesWorth()
    {
        var scheduler = new AnnounceScheduler(_clock, announcesPerMinute: 6);
        scheduler.SetTargets(Enumerable.Range(1, 40).Select(Own));

        Assert.Equal(6, scheduler.TakeDue().Count);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Single(scheduler.TakeDue());
        _clock.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(2, scheduler.TakeDue().Count);
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(6, scheduler.TakeDue().Count);
        Assert.Equal(15, scheduler.AnnouncesStarted);
    }

    [Fact]
    public void TakeDue_RespectsMax()
    {
        var scheduler = new AnnounceScheduler(_clock, announcesPerMinute: 10);
        scheduler.SetTargets(Enumerable.Range(1, 5).Select(Own));

        Assert.Equal(2, scheduler.TakeDue(max: 2).Count);
        Assert.Equal(3, scheduler.TakeDue().Count);
    }

    [Fact]
    public void Completed_Success_KeyIsDueAgainAfterTheReannounceInterval()
    {
        var scheduler = new AnnounceScheduler(_clock, 10, reannounceInterval: TimeSpan.FromMinutes(20));
        scheduler.SetTargets([Own(1)]);
        Assert.Single(scheduler.TakeDue());
        _clock.Advance(TimeSpan.FromSeconds(5));
        scheduler.Completed(Key(1), success: true);
        Assert.Equal(_clock.Now, scheduler.LastAnnounced(Key(1)));

        _clock.Advance(TimeSpan.FromMinutes(19));
        Assert.Empty(scheduler.TakeDue());
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([Key(1)], scheduler.TakeDue().Select(t => t.Key));
        Assert.Equal(1, scheduler.AnnouncesSucceeded);
    }

    [Fact]
    public void Completed_Failure_KeyIsRetriedAfterTheRetryDelay()
    {
        var scheduler = new AnnounceScheduler(_clock, 10, TimeSpan.FromMinutes(20), retryAfterFailure: TimeSpan.FromMinutes(1));
        scheduler.SetTargets([Own(1)]);
        Assert.Single(scheduler.TakeDue());
        scheduler.Completed(Key(1), success: false);

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(scheduler.TakeDue());
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(scheduler.TakeDue());
        Assert.Equal(1, scheduler.AnnouncesFailed);
        Assert.Null(scheduler.LastAnnounced(Key(1)));
    }

    [Fact]
    public void TakeDue_AKeyInFlightIsNotHandedOutTwice()
    {
        var scheduler = new AnnounceScheduler(_clock, 100, reannounceInterval: TimeSpan.FromSeconds(1));
        scheduler.SetTargets([Own(1)]);
        Assert.Single(scheduler.TakeDue());

        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Empty(scheduler.TakeDue());
        scheduler.Completed(Key(1), success: true);
        Assert.Single(scheduler.TakeDue());
    }

    [Fact]
    public void TakeDue_NeverAnnouncedKeysComeBeforeOverdueOnesOfTheSameKind()
    {
        var scheduler = new AnnounceScheduler(_clock, 1, reannounceInterval: TimeSpan.FromMinutes(1));
        scheduler.SetTargets([Community("old")]);
        Assert.Single(scheduler.TakeDue());
        scheduler.Completed(SwarmKeys.Community("old"), success: true);

        _clock.Advance(TimeSpan.FromMinutes(5));
        scheduler.SetTargets([Community("old"), Community("new")]);

        Assert.Equal(["new"], scheduler.TakeDue().Select(t => t.Label));
    }

    [Fact]
    public void SetTargets_KeepsTheScheduleOfKeptKeys_DropsOthers_AndKeepsTheHighestPriorityOfADuplicate()
    {
        var scheduler = new AnnounceScheduler(_clock, 100);
        scheduler.SetTargets([Own(1), Own(2)]);
        Assert.Equal(2, scheduler.TakeDue().Count);
        scheduler.Completed(Key(1), true);
        scheduler.Completed(Key(2), true);

        scheduler.SetTargets([Upvote(1), Own(1), Upvote(3)]);

        Assert.Equal([(Key(1), AnnounceKind.OwnPost), (Key(3), AnnounceKind.Upvote)], scheduler.Targets.Select(t => (t.Key, t.Kind)));
        Assert.Equal([Key(3)], scheduler.TakeDue().Select(t => t.Key));
        Assert.NotNull(scheduler.LastAnnounced(Key(1)));
        Assert.Null(scheduler.LastAnnounced(Key(2)));
    }

    [Fact]
    public void LowerPriorityKeysWaitWhileHigherOnesUseTheBudget()
    {
        var scheduler = new AnnounceScheduler(_clock, 2, reannounceInterval: TimeSpan.FromMinutes(1));
        scheduler.SetTargets([Own(1), Own(2), Community("c")]);

        for (var minute = 0; minute < 3; minute++)
        {
            var taken = scheduler.TakeDue();
            Assert.All(taken, t => Assert.Equal(AnnounceKind.OwnPost, t.Kind));
            foreach (var t in taken)
            {
                scheduler.Completed(t.Key, true);
            }

            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        // With a budget that covers the own posts and one more, the community gets its turn.
        scheduler.AnnouncesPerMinute = 3;
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Contains(scheduler.TakeDue(), t => t.Kind == AnnounceKind.Community);
    }

    [Fact]
    public void SustainableKeys_IsBudgetTimesInterval()
    {
        Assert.Equal(400, new AnnounceScheduler(_clock, 20, TimeSpan.FromMinutes(20)).SustainableKeys);
    }

    [Fact]
    public void Property_NeverMoreThanTheBudgetPlusRefillOverAnyRun()
    {
        var runs = Gen.ArrayOf(Gen.Choose(0, 80));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(runs.ToArbitrary(), steps =>
            {
                var clock = new FixedClock();
                var scheduler = new AnnounceScheduler(clock, 5, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
                scheduler.SetTargets(Enumerable.Range(1, 50).Select(Own));
                var taken = 0;
                var elapsed = TimeSpan.Zero;
                foreach (var step in steps)
                {
                    var seconds = step / 2;
                    clock.Advance(TimeSpan.FromSeconds(seconds));
                    elapsed += TimeSpan.FromSeconds(seconds);
                    foreach (var t in scheduler.TakeDue())
                    {
                        taken++;
                        scheduler.Completed(t.Key, step % 2 == 0);
                    }
                }

                return taken <= 5 + (elapsed.TotalMinutes * 5) + 1e-9;
            }));
    }

    private static InfoHash Key(int n)
    {
        var bytes = new byte[20];
        bytes[19] = (byte)n;
        bytes[0] = 0xAA;
        return new InfoHash(bytes);
    }

    private static AnnounceTarget Own(int n) => new(Key(n), AnnounceKind.OwnPost, $"own-{n}");

    private static AnnounceTarget Upvote(int n) => new(Key(n), AnnounceKind.Upvote, $"up-{n}");

    private static AnnounceTarget Community(string name) => new(SwarmKeys.Community(name), AnnounceKind.Community, name);
}
