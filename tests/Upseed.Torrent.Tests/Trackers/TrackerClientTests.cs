using Upseed.Metainfo;
using Upseed.Torrent.Trackers;
using static Upseed.Torrent.Tests.Trackers.TrackerTestData;

namespace Upseed.Torrent.Tests.Trackers;

public class TrackerClientTests
{
    [Theory]
    [InlineData("http://t.test/announce", "http")]
    [InlineData("https://t.test/announce", "http")]
    [InlineData("HTTP://t.test/announce", "http")] // schemes are case-insensitive (RFC 3986 §3.1); Uri lowercases them
    [InlineData("udp://t.test:6969/announce", "udp")]
    public async Task AnnounceAsync_Scheme_PicksTheClient(string url, string expected)
    {
        var http = new RecordingClient();
        var udp = new RecordingClient();
        var client = new TrackerClient(http, udp);

        await client.AnnounceAsync(new Uri(url), Request(Bep3InfoHash, PrintablePeerId, 6881));
        await client.ScrapeAsync(new Uri(url), [Bep3InfoHash]);

        Assert.Equal(expected == "http" ? 2 : 0, http.Calls);
        Assert.Equal(expected == "udp" ? 2 : 0, udp.Calls);
    }

    [Theory]
    [InlineData("wss://t.test/announce")] // WebTorrent trackers
    [InlineData("ftp://t.test/announce")]
    public async Task AnnounceAsync_OtherScheme_ThrowsNotSupported(string url)
    {
        var client = new TrackerClient(new RecordingClient(), new RecordingClient());

        var ex = await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(new Uri(url), Request(Bep3InfoHash, PrintablePeerId, 6881)));

        Assert.Equal(TrackerErrorKind.NotSupported, ex.Kind);
    }

    private sealed class RecordingClient : ITrackerClient
    {
        public int Calls { get; private set; }

        public Task<AnnounceResponse> AnnounceAsync(Uri trackerUrl, AnnounceRequest request, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult(new AnnounceResponse(TimeSpan.FromMinutes(30), null, null, null, [], null));
        }

        public Task<IReadOnlyDictionary<InfoHash, ScrapeResult>> ScrapeAsync(
            Uri trackerUrl,
            IReadOnlyList<InfoHash> infoHashes,
            CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult<IReadOnlyDictionary<InfoHash, ScrapeResult>>(new Dictionary<InfoHash, ScrapeResult>());
        }
    }
}
