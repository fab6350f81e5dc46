using System.Net;
using System.Net.Sockets;
using Upseed.Torrent.Trackers;
using static Upseed.Torrent.Tests.Trackers.TrackerTestData;

namespace Upseed.Torrent.Tests.Trackers;

public class HttpTrackerClientTests
{
    private static readonly Uri s_announceUrl = new("http://tracker.test/announce?passkey=s3cret");

    [Fact]
    public async Task AnnounceAsync_Reply_SendsTheBuiltUrlAndParses()
    {
        var handler = new StubHttpHandler(HttpStatusCode.OK, Concat(Ascii("d8:intervali60e5:peers6:"), [10, 0, 0, 2, 0, 80], Ascii("e")));
        using var http = new HttpClient(handler);
        var client = new HttpTrackerClient(http);
        var request = Request(Bep3InfoHash, PrintablePeerId, 6881, left: 3);

        var response = await client.AnnounceAsync(s_announceUrl, request);

        Assert.Equal(HttpTrackerCodec.BuildAnnounceUrl(s_announceUrl, request).AbsoluteUri, Assert.Single(handler.Requests).AbsoluteUri);
        Assert.Equal([IPEndPoint.Parse("10.0.0.2:80")], response.Peers);
    }

    [Fact]
    public async Task ScrapeAsync_Reply_UsesTheScrapeUrl()
    {
        var body = Concat(Ascii("d5:filesd20:"), Bep3InfoHash.ToArray(), Ascii("d8:completei4e10:downloadedi9e10:incompletei2eeee"));
        var handler = new StubHttpHandler(HttpStatusCode.OK, body);
        using var http = new HttpClient(handler);

        var results = await new HttpTrackerClient(http).ScrapeAsync(s_announceUrl, [Bep3InfoHash]);

        Assert.StartsWith("http://tracker.test/scrape?passkey=s3cret&info_hash=%124Vx", Assert.Single(handler.Requests).AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(new ScrapeResult(4, 2, 9), results[Bep3InfoHash]);
    }

    [Fact]
    public async Task ScrapeAsync_NoHashes_ThrowsArgumentException()
    {
        using var http = new HttpClient(new StubHttpHandler(HttpStatusCode.OK, []));

        await Assert.ThrowsAsync<ArgumentException>(() => new HttpTrackerClient(http).ScrapeAsync(s_announceUrl, []));
    }

    [Fact]
    public async Task AnnounceAsync_FailureReasonWithErrorStatus_ThrowsRejected()
    {
        using var http = new HttpClient(new StubHttpHandler(HttpStatusCode.Forbidden, Ascii("d14:failure reason12:unregisterede")));

        var ex = await Assert.ThrowsAsync<TrackerException>(() =>
            new HttpTrackerClient(http).AnnounceAsync(s_announceUrl, Request(Bep3InfoHash, PrintablePeerId, 6881)));

        Assert.Equal(TrackerErrorKind.Rejected, ex.Kind);
        Assert.Equal("unregistered", ex.FailureReason);
    }

    [Fact]
    public async Task AnnounceAsync_ErrorStatusWithHtml_ThrowsUnreachableWithoutThePasskey()
    {
        // opentracker's answer to a request it cannot parse.
        using var http = new HttpClient(new StubHttpHandler(HttpStatusCode.BadRequest, Ascii("<title>Invalid Request</title>\n")));

        var ex = await Assert.ThrowsAsync<TrackerException>(() =>
            new HttpTrackerClient(http).AnnounceAsync(s_announceUrl, Request(Bep3InfoHash, PrintablePeerId, 6881)));

        Assert.Equal(TrackerErrorKind.Unreachable, ex.Kind);
        Assert.Contains("HTTP 400", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnnounceAsync_ContentLengthOverTheLimit_ThrowsBeforeReading()
    {
        var bodyRead = false;
        var handler = new StubHttpHandler((_, _) =>
        {
            var content = new StreamContent(new CallbackStream(() => bodyRead = true));
            content.Headers.ContentLength = 1 << 20;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        });
        using var http = new HttpClient(handler);

        var ex = await Assert.ThrowsAsync<TrackerException>(() =>
            new HttpTrackerClient(http).AnnounceAsync(s_announceUrl, Request(Bep3InfoHash, PrintablePeerId, 6881)));

        Assert.Equal(TrackerErrorKind.MalformedReply, ex.Kind);
        Assert.Contains("Content-Length", ex.Message, StringComparison.Ordinal);
        Assert.False(bodyRead);
    }

    [Fact]
    public async Task AnnounceAsync_UnannouncedBodyOverTheLimit_Throws()
    {
        // No Content-Length (chunked): the cap applies while reading.
        var handler = new StubHttpHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new MemoryStream(new byte[2000])),
        }));
        using var http = new HttpClient(handler);
        var client = new HttpTrackerClient(http, new HttpTrackerOptions { MaxResponseSize = 1000 });

        var ex = await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(s_announceUrl, Request(Bep3InfoHash, PrintablePeerId, 6881)));

        Assert.Equal(TrackerErrorKind.MalformedReply, ex.Kind);
        Assert.Contains("1000-byte limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnnounceAsync_TrackerNeverAnswers_ThrowsTimeout()
    {
        var handler = new StubHttpHandler(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            throw new InvalidOperationException("unreachable");
        });
        using var http = new HttpClient(handler);
        var client = new HttpTrackerClient(http, new HttpTrackerOptions { RequestTimeout = TimeSpan.FromMilliseconds(50) });

        var ex = await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(s_announceUrl, Request(Bep3InfoHash, PrintablePeerId, 6881)));

        Assert.Equal(TrackerErrorKind.Timeout, ex.Kind);
        Assert.Contains("0.05 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnnounceAsync_CallerCancels_ThrowsOperationCanceled()
    {
        var handler = new StubHttpHandler(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            throw new InvalidOperationException("unreachable");
        });
        using var http = new HttpClient(handler);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new HttpTrackerClient(http).AnnounceAsync(s_announceUrl, Request(Bep3InfoHash, PrintablePeerId, 6881), cancel.Token));
    }

    [Fact]
    public async Task AnnounceAsync_ConnectionRefused_ThrowsUnreachable()
    {
        var handler = new StubHttpHandler((_, _) => throw new HttpRequestException("Connection refused (tracker.test:80)"));
        using var http = new HttpClient(handler);

        var ex = await Assert.ThrowsAsync<TrackerException>(() =>
            new HttpTrackerClient(http).AnnounceAsync(s_announceUrl, Request(Bep3InfoHash, PrintablePeerId, 6881)));

        Assert.Equal(TrackerErrorKind.Unreachable, ex.Kind);
        Assert.IsType<HttpRequestException>(ex.InnerException);
    }

    [Fact]
    public async Task AnnounceAsync_ConnectionResetOnce_SendsAgain()
    {
        // What a pooled connection that opentracker already closed looks like from SocketsHttpHandler.
        var calls = 0;
        var handler = new StubHttpHandler((_, _) => ++calls == 1
            ? throw Reset()
            : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Ascii("d8:intervali60ee")) }));
        using var http = new HttpClient(handler);

        var response = await new HttpTrackerClient(http).AnnounceAsync(s_announceUrl, Request(Bep3InfoHash, PrintablePeerId, 6881));

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Interval);
    }

    [Fact]
    public async Task AnnounceAsync_ConnectionResetTwice_ThrowsUnreachable()
    {
        var handler = new StubHttpHandler((_, _) => throw Reset());
        using var http = new HttpClient(handler);

        var ex = await Assert.ThrowsAsync<TrackerException>(() =>
            new HttpTrackerClient(http).AnnounceAsync(s_announceUrl, Request(Bep3InfoHash, PrintablePeerId, 6881)));

        Assert.Equal(TrackerErrorKind.Unreachable, ex.Kind);
        Assert.Equal(2, handler.Requests.Count);
    }

    private static HttpRequestException Reset() =>
        new("An error occurred while sending the request.", new IOException("Connection reset by peer.", new SocketException((int)SocketError.ConnectionReset)));

    /// <summary>A stream that notes when anyone reads it.</summary>
    private sealed class CallbackStream(Action onRead) : MemoryStream(new byte[16])
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            onRead();
            return base.Read(buffer, offset, count);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            onRead();
            return base.ReadAsync(buffer, cancellationToken);
        }
    }
}
