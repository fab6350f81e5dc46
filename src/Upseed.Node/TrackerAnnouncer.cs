using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Upseed.Metainfo;
using Upseed.Store;
using Upseed.Torrent;
using Upseed.Torrent.Trackers;

namespace Upseed.Node;

/// <summary>
/// Announces the box's own and upvoted posts to the trackers in the <c>trackers</c> setting (optional per box), so
/// plain clients that only use trackers find the box. Announces are budgeted: at most
/// <see cref="NodeOptions.TrackerAnnounceLimit"/> posts (newest pins first), and never sooner than the tracker's
/// interval. With no trackers configured it does nothing.
/// </summary>
public sealed partial class TrackerAnnouncer(RecordStore store, SeedingService seeding, NodeOptions options, ILogger<TrackerAnnouncer> logger, TimeProvider? clock = null) : BackgroundService
{
    private static readonly string[] s_announcedReasons = [PinReason.Own, PinReason.Upvote];
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Dictionary<(string Tracker, InfoHash Post), DateTimeOffset> _next = [];
    private readonly PeerId _peerId = PeerId.CreateRandom();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var http = HttpTrackerClient.CreateHttpClient();
        await using var udp = new UdpTrackerClient(timeProvider: _clock);
        var client = new TrackerClient(new HttpTrackerClient(http, timeProvider: _clock), udp);
        while (!stoppingToken.IsCancellationRequested)
        {
            store.ReloadSettings();
            var trackers = BoxLinks.Trackers(store);
            if (trackers.Count > 0 && seeding.Listener is { } listener)
            {
                await AnnounceDueAsync(client, trackers, listener.LocalEndPoint.Port, stoppingToken).ConfigureAwait(false);
            }

            try
            {
                await Task.Delay(options.TrackerPollInterval, _clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task AnnounceDueAsync(TrackerClient client, IReadOnlyList<string> trackers, int port, CancellationToken token)
    {
        var posts = store.RecentPins(s_announcedReasons, options.TrackerAnnounceLimit);
        var now = _clock.GetUtcNow();
        foreach (var tracker in trackers)
        {
            if (!Uri.TryCreate(tracker, UriKind.Absolute, out var url))
            {
                LogBadTracker(logger, tracker);
                continue;
            }

            foreach (var post in posts)
            {
                if (_next.TryGetValue((tracker, post), out var due) && due > now)
                {
                    continue;
                }

                var first = !_next.ContainsKey((tracker, post));
                var request = new AnnounceRequest(post, _peerId, port, 0, 0, 0) { Event = first ? AnnounceEvent.Started : AnnounceEvent.None };
                try
                {
                    var response = await client.AnnounceAsync(url, request, token).ConfigureAwait(false);
                    var interval = response.MinInterval is { } min && min > response.Interval ? min : response.Interval;
                    _next[(tracker, post)] = now + (interval < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : interval);
                }
                catch (TrackerException ex)
                {
                    _next[(tracker, post)] = now + TimeSpan.FromMinutes(5);
                    LogAnnounceFailed(logger, tracker, post, ex.Message);
                }
            }
        }

        // Forget posts that fell out of the budget, so the map stays the size of the budget.
        var current = posts.ToHashSet();
        foreach (var key in _next.Keys.Where(k => !current.Contains(k.Post) || !trackers.Contains(k.Tracker)).ToList())
        {
            _next.Remove(key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tracker setting '{Tracker}' is not a URL; skipped")]
    private static partial void LogBadTracker(ILogger logger, string tracker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Announcing {Post} to {Tracker} failed: {Reason}")]
    private static partial void LogAnnounceFailed(ILogger logger, string tracker, InfoHash post, string reason);
}
