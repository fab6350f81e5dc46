using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using Upseed.Metainfo;

namespace Upseed.Torrent.Trackers;

/// <summary>
/// Announces to and scrapes HTTP(S) trackers (BEP 3, BEP 23, BEP 48). Each request has a timeout, and the reply body
/// is read up to <see cref="HttpTrackerOptions.MaxResponseSize"/> before any parsing.
/// </summary>
public sealed class HttpTrackerClient : ITrackerClient
{
    private readonly HttpClient _httpClient;
    private readonly HttpTrackerOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <param name="httpClient">
    /// Sends every request. The caller owns it (and its proxy and TLS settings) and disposes it.
    /// <see cref="CreateHttpClient"/> makes one suited to trackers.
    /// </param>
    /// <param name="options">Timeout and limits; <see cref="HttpTrackerOptions.Default"/> when null.</param>
    /// <param name="timeProvider">Runs the request timeout; <see cref="TimeProvider.System"/> when null.</param>
    public HttpTrackerClient(HttpClient httpClient, HttpTrackerOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _httpClient = httpClient;
        _options = options ?? HttpTrackerOptions.Default;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// An <see cref="HttpClient"/> for trackers: a fresh connection per request and no cookies. opentracker, the most
    /// common tracker, answers HTTP/1.1 without <c>Connection: close</c> and then closes the connection, so a pooled
    /// connection's next request meets a reset. The caller owns the client and disposes it.
    /// </summary>
    public static HttpClient CreateHttpClient() => new(
        new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.Zero,
            UseCookies = false,
        },
        disposeHandler: true);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The URL is not absolute http or https.</exception>
    public Task<AnnounceResponse> AnnounceAsync(Uri trackerUrl, AnnounceRequest request, CancellationToken cancellationToken = default)
    {
        var url = HttpTrackerCodec.BuildAnnounceUrl(trackerUrl, request);
        return GetAsync(url, trackerUrl, static (body, options) => HttpTrackerCodec.ParseAnnounceResponse(body, options), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<InfoHash, ScrapeResult>> ScrapeAsync(
        Uri trackerUrl,
        IReadOnlyList<InfoHash> infoHashes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(infoHashes);
        if (infoHashes.Count == 0)
        {
            throw new ArgumentException("A scrape needs at least one info-hash.", nameof(infoHashes));
        }

        var url = HttpTrackerCodec.BuildScrapeUrl(trackerUrl, infoHashes);
        return GetAsync(url, trackerUrl, static (body, options) => HttpTrackerCodec.ParseScrapeResponse(body, options), cancellationToken);
    }

    private async Task<T> GetAsync<T>(
        Uri url,
        Uri trackerUrl,
        Func<ReadOnlyMemory<byte>, HttpTrackerOptions, T> parse,
        CancellationToken cancellationToken)
    {
        // Messages name the tracker without its query: private trackers put a passkey there.
        var tracker = trackerUrl.GetLeftPart(UriPartial.Path);
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

        // One byte over the limit tells "exactly at the limit" from "too large".
        var buffer = ArrayPool<byte>.Shared.Rent(_options.MaxResponseSize + 1);
        try
        {
            int length;
            try
            {
                length = await ReceiveAsync(url, tracker, buffer, linked.Token);
            }
            catch (Exception ex) when (IsConnectionReset(ex))
            {
                // Almost always a pooled connection the tracker had already closed (opentracker closes after every
                // reply; see CreateHttpClient), so the request never reached it. Try once more; at worst the tracker
                // sees the same announce twice, which only refreshes the same peer.
                length = await ReceiveAsync(url, tracker, buffer, linked.Token);
            }

            return parse(buffer.AsMemory(0, length), _options);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Our timeout, or HttpClient.Timeout when the caller's client has a shorter one.
            throw new TrackerException(
                TrackerErrorKind.Timeout,
                string.Create(CultureInfo.InvariantCulture, $"The tracker {tracker} did not answer within {_options.RequestTimeout.TotalSeconds:0.###} s."),
                ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TrackerException(TrackerErrorKind.Unreachable, $"The tracker {tracker} could not be reached: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            // The connection broke while the body was read.
            throw new TrackerException(TrackerErrorKind.Unreachable, $"The tracker {tracker} broke off its reply: {ex.Message}", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Sends the GET and reads a successful reply's body into the buffer; returns its length.
    private async Task<int> ReceiveAsync(Uri url, string tracker, byte[] buffer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);

        // Tell the tracker we will not send another request on this connection, as libtorrent does.
        request.Headers.ConnectionClose = true;
        using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.Content.Headers.ContentLength > _options.MaxResponseSize)
        {
            throw TrackerException.Malformed(
                $"Content-Length {response.Content.Headers.ContentLength} is over the {_options.MaxResponseSize}-byte limit");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var length = await ReadUpToAsync(stream, buffer.AsMemory(0, _options.MaxResponseSize + 1), cancellationToken);
        if (length > _options.MaxResponseSize)
        {
            throw TrackerException.Malformed($"the body is over the {_options.MaxResponseSize}-byte limit");
        }

        if (!response.IsSuccessStatusCode)
        {
            // Some trackers send their 'failure reason' with a 4xx status; their words beat the status line.
            if (HttpTrackerCodec.TryReadFailureReason(buffer.AsMemory(0, length), _options, out var reason))
            {
                throw TrackerException.Rejected(reason);
            }

            throw new TrackerException(
                TrackerErrorKind.Unreachable,
                string.Create(CultureInfo.InvariantCulture, $"The tracker {tracker} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}."));
        }

        return length;
    }

    private static bool IsConnectionReset(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionReset })
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<int> ReadUpToAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[total..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
