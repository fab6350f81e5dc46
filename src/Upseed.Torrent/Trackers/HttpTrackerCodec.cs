using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text;
using Upseed.Bencode;
using Upseed.Metainfo;

namespace Upseed.Torrent.Trackers;

/// <summary>
/// Builds HTTP tracker URLs and parses their replies (BEP 3 "Trackers", BEP 23 compact peers, BEP 7 <c>peers6</c>,
/// BEP 48 scrape). Pure: no sockets, no clock.
/// </summary>
public static class HttpTrackerCodec
{
    /// <summary>
    /// Largest reply read by default: 64 KiB. An announce reply with 200 compact peers is about 1.3 KB and a scrape of
    /// 74 hashes about 4.5 KB, so anything near this is not a tracker talking to us.
    /// </summary>
    public const int DefaultMaxResponseSize = 64 * 1024;

    /// <summary>
    /// Most peers kept from one reply by default: 200, twice what libtorrent asks for (<c>num_want</c> 200 is its
    /// maximum) and far more than a small post needs.
    /// </summary>
    public const int DefaultMaxPeers = 200;

    // BEP 23: 4-byte IPv4 address + 2-byte port; BEP 7: 16-byte IPv6 address + 2-byte port.
    private const int CompactIPv4PeerSize = 6;
    private const int CompactIPv6PeerSize = 18;

    // Replies nest three deep at most (reply → peers list → peer dict; reply → files → per-hash dict); a little room
    // for trackers that add their own keys.
    private const int MaxReplyDepth = 8;

    private static ReadOnlySpan<byte> HexDigits => "0123456789ABCDEF"u8;

    /// <summary>
    /// The announce GET URL: <paramref name="announceUrl"/> plus <c>info_hash</c>, <c>peer_id</c> (both
    /// percent-encoded byte by byte, BEP 3), <c>port</c>, <c>uploaded</c>, <c>downloaded</c>, <c>left</c>,
    /// <c>compact=1</c> (BEP 23), and <c>event</c>, <c>numwant</c>, <c>key</c> when set. A query already in the URL
    /// (a passkey) is kept; a fragment is dropped.
    /// </summary>
    /// <exception cref="ArgumentException">The URL is not absolute http or https.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The port is outside 1–65535, or a byte count is negative.</exception>
    public static Uri BuildAnnounceUrl(Uri announceUrl, AnnounceRequest request)
    {
        AnnounceRequest.ThrowIfInvalid(request);

        var url = StartQuery(announceUrl);
        Span<byte> hash = stackalloc byte[InfoHash.Size];
        request.InfoHash.CopyTo(hash);
        url.Append("info_hash=");
        AppendPercentEncoded(url, hash);
        url.Append("&peer_id=");
        AppendPercentEncoded(url, request.PeerId.Span);
        url.Append(CultureInfo.InvariantCulture, $"&port={request.Port}");
        url.Append(CultureInfo.InvariantCulture, $"&uploaded={request.Uploaded}");
        url.Append(CultureInfo.InvariantCulture, $"&downloaded={request.Downloaded}");
        url.Append(CultureInfo.InvariantCulture, $"&left={request.Left}");
        url.Append("&compact=1");
        var eventName = request.Event switch
        {
            AnnounceEvent.None => null,
            AnnounceEvent.Started => "started",
            AnnounceEvent.Completed => "completed",
            AnnounceEvent.Stopped => "stopped",
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Event, "Unknown announce event."),
        };
        if (eventName is not null)
        {
            url.Append("&event=").Append(eventName);
        }

        if (request.NumWant is { } numWant)
        {
            url.Append(CultureInfo.InvariantCulture, $"&numwant={numWant}");
        }

        if (request.Key is { } key)
        {
            // Eight hex digits, as libtorrent and Transmission send it: trackers compare it as an opaque string.
            url.Append(CultureInfo.InvariantCulture, $"&key={key:X8}");
        }

        return new Uri(url.ToString(), UriKind.Absolute);
    }

    /// <summary>
    /// The scrape URL for an announce URL (BEP 48): the last path segment must start with <c>announce</c>, which
    /// becomes <c>scrape</c> (<c>/x/announce.php</c> → <c>/x/scrape.php</c>); then one <c>info_hash</c> per hash.
    /// Returns false when the last segment does not start with <c>announce</c>: that tracker has no scrape.
    /// </summary>
    /// <exception cref="ArgumentException">The URL is not absolute http or https.</exception>
    public static bool TryBuildScrapeUrl(Uri announceUrl, IEnumerable<InfoHash> infoHashes, [NotNullWhen(true)] out Uri? scrapeUrl)
    {
        ArgumentNullException.ThrowIfNull(infoHashes);
        scrapeUrl = null;
        CheckHttpUrl(announceUrl);
        var path = announceUrl.AbsolutePath;
        var segmentStart = path.LastIndexOf('/') + 1;
        if (!path.AsSpan(segmentStart).StartsWith("announce", StringComparison.Ordinal))
        {
            return false;
        }

        var scrapePath = string.Concat(path.AsSpan(0, segmentStart), "scrape", path.AsSpan(segmentStart + "announce".Length));
        var builder = new UriBuilder(announceUrl) { Path = scrapePath, Fragment = string.Empty };
        var url = StartQuery(builder.Uri);
        Span<byte> hash = stackalloc byte[InfoHash.Size];
        var first = true;
        foreach (var infoHash in infoHashes)
        {
            if (!first)
            {
                url.Append('&');
            }

            first = false;
            infoHash.CopyTo(hash);
            url.Append("info_hash=");
            AppendPercentEncoded(url, hash);
        }

        scrapeUrl = new Uri(url.ToString(), UriKind.Absolute);
        return true;
    }

    /// <summary>The scrape URL for an announce URL; see <see cref="TryBuildScrapeUrl"/>.</summary>
    /// <exception cref="TrackerException">
    /// <see cref="TrackerErrorKind.NotSupported"/>: the URL's last path segment does not start with <c>announce</c>.
    /// </exception>
    /// <exception cref="ArgumentException">The URL is not absolute http or https.</exception>
    public static Uri BuildScrapeUrl(Uri announceUrl, IEnumerable<InfoHash> infoHashes) =>
        TryBuildScrapeUrl(announceUrl, infoHashes, out var scrapeUrl)
            ? scrapeUrl
            : throw new TrackerException(
                TrackerErrorKind.NotSupported,
                $"The tracker {announceUrl.GetLeftPart(UriPartial.Path)} has no scrape URL: the last path segment does not start with 'announce' (BEP 48).");

    /// <summary>
    /// Parses an announce reply: a bencoded dictionary with <c>interval</c> and <c>peers</c> (a compact string of
    /// 6-byte entries, BEP 23, or a list of <c>ip</c>/<c>port</c> dictionaries, BEP 3), optional <c>peers6</c>
    /// (18-byte entries), <c>min interval</c>, <c>complete</c>, <c>incomplete</c>, <c>warning message</c>. Peers past
    /// <see cref="HttpTrackerOptions.MaxPeers"/> are dropped, as are peers with port 0 and dictionary peers whose
    /// <c>ip</c> is a host name (we do not resolve names a tracker hands us).
    /// </summary>
    /// <exception cref="TrackerException">
    /// <see cref="TrackerErrorKind.Rejected"/> with the tracker's <c>failure reason</c>, or
    /// <see cref="TrackerErrorKind.MalformedReply"/> when the reply is not bencode, lacks <c>interval</c>, has a field
    /// of the wrong type or range, or is larger than <see cref="HttpTrackerOptions.MaxResponseSize"/>.
    /// </exception>
    public static AnnounceResponse ParseAnnounceResponse(ReadOnlyMemory<byte> body, HttpTrackerOptions? options = null)
    {
        options ??= HttpTrackerOptions.Default;
        var reply = DecodeReply(body, options);

        if (!TryGetSeconds(reply, "interval", out var interval))
        {
            throw TrackerException.Malformed("no 'interval'");
        }

        TimeSpan? minInterval = TryGetSeconds(reply, "min interval", out var min) ? min : null;
        int? seeders = TryGetCount(reply, "complete", out var complete) ? complete : null;
        int? leechers = TryGetCount(reply, "incomplete", out var incomplete) ? incomplete : null;
        string? warning = TryGetText(reply, "warning message", out var text) ? text : null;

        var peers = new List<IPEndPoint>();
        var maxPeers = Math.Max(0, options.MaxPeers);

        // BEP 3 makes 'peers' required, but trackers leave it out of replies with nobody to list; that is no peers.
        if (reply.TryGetValue("peers"u8, out var peersValue))
        {
            switch (peersValue)
            {
                case BString compact:
                    ReadCompactPeers(compact.Span, CompactIPv4PeerSize, "peers", peers, maxPeers);
                    break;
                case BList list:
                    ReadDictionaryPeers(list, peers, maxPeers);
                    break;
                default:
                    throw TrackerException.Malformed("'peers' is neither a string nor a list");
            }
        }

        if (reply.TryGetValue("peers6"u8, out var peers6Value))
        {
            if (peers6Value is not BString compact6)
            {
                throw TrackerException.Malformed("'peers6' is not a string");
            }

            ReadCompactPeers(compact6.Span, CompactIPv6PeerSize, "peers6", peers, maxPeers);
        }

        return new AnnounceResponse(interval, minInterval, seeders, leechers, peers, warning);
    }

    /// <summary>
    /// Parses a scrape reply (BEP 48): <c>files</c> maps each 20-byte info-hash to <c>complete</c>,
    /// <c>incomplete</c> and <c>downloaded</c>. Hashes the tracker does not know are simply absent.
    /// </summary>
    /// <exception cref="TrackerException">
    /// <see cref="TrackerErrorKind.Rejected"/> with the tracker's <c>failure reason</c>, or
    /// <see cref="TrackerErrorKind.MalformedReply"/> when <c>files</c> is missing or an entry is not as above.
    /// </exception>
    public static IReadOnlyDictionary<InfoHash, ScrapeResult> ParseScrapeResponse(ReadOnlyMemory<byte> body, HttpTrackerOptions? options = null)
    {
        options ??= HttpTrackerOptions.Default;
        var reply = DecodeReply(body, options);
        if (!reply.TryGetValue("files"u8, out var filesValue) || filesValue is not BDictionary files)
        {
            throw TrackerException.Malformed("no 'files' dictionary");
        }

        var results = new Dictionary<InfoHash, ScrapeResult>(files.Count);
        foreach (var (key, value) in files.Entries)
        {
            if (key.Length != InfoHash.Size)
            {
                throw TrackerException.Malformed($"a 'files' key is {key.Length} bytes, not a {InfoHash.Size}-byte info-hash");
            }

            if (value is not BDictionary entry)
            {
                throw TrackerException.Malformed("a 'files' entry is not a dictionary");
            }

            if (!TryGetCount(entry, "complete", out var complete)
                || !TryGetCount(entry, "incomplete", out var incomplete)
                || !TryGetCount(entry, "downloaded", out var downloaded))
            {
                throw TrackerException.Malformed("a 'files' entry lacks 'complete', 'incomplete' or 'downloaded'");
            }

            results[new InfoHash(key)] = new ScrapeResult(complete, incomplete, downloaded);
        }

        return results;
    }

    /// <summary>
    /// Reads a bencoded <c>failure reason</c> from a body that came with an HTTP error status. False when the body is
    /// not such a reply.
    /// </summary>
    internal static bool TryReadFailureReason(ReadOnlyMemory<byte> body, HttpTrackerOptions options, [NotNullWhen(true)] out string? reason)
    {
        reason = null;
        try
        {
            _ = DecodeReply(body, options);
            return false;
        }
        catch (TrackerException ex) when (ex.Kind == TrackerErrorKind.Rejected)
        {
            reason = ex.FailureReason!;
            return true;
        }
        catch (TrackerException)
        {
            return false;
        }
    }

    private static BDictionary DecodeReply(ReadOnlyMemory<byte> body, HttpTrackerOptions options)
    {
        if (body.Length > options.MaxResponseSize)
        {
            throw TrackerException.Malformed($"{body.Length} bytes, more than the {options.MaxResponseSize}-byte limit");
        }

        BValue value;
        try
        {
            value = BencodeDecoder.Decode(body, CreateBencodeOptions(options));
        }
        catch (BencodeException ex)
        {
            throw new TrackerException(TrackerErrorKind.MalformedReply, $"The tracker's reply is not valid bencode: {ex.Message}.", ex);
        }

        if (value is not BDictionary reply)
        {
            throw TrackerException.Malformed("the reply is not a dictionary");
        }

        // BEP 3: a reply with 'failure reason' carries nothing else worth reading.
        if (reply.TryGetValue("failure reason"u8, out var failure))
        {
            if (failure is not BString reason)
            {
                throw TrackerException.Malformed("'failure reason' is not a string");
            }

            throw TrackerException.Rejected(reason.ToText());
        }

        return reply;
    }

    // Trackers are other people's software and not all sort their keys (BEP 3 asks them to); nothing here is
    // signed, so order does not matter. Duplicate keys are still refused.
    private static BencodeOptions CreateBencodeOptions(HttpTrackerOptions options) => new()
    {
        RequireSortedKeys = false,
        MaxDepth = MaxReplyDepth,
        MaxMessageSize = options.MaxResponseSize,
        MaxStringLength = options.MaxResponseSize,
    };

    /// <summary>
    /// Compact peers (BEP 23: 6 bytes IPv4 + port; BEP 7/15: 18 bytes IPv6 + port), as both HTTP and UDP trackers send
    /// them. Port 0 entries are skipped; at most <paramref name="maxPeers"/> are kept.
    /// </summary>
    /// <exception cref="TrackerException">The length is not a multiple of the entry size.</exception>
    internal static void ReadCompactPeers(ReadOnlySpan<byte> compact, int entrySize, string key, List<IPEndPoint> peers, int maxPeers)
    {
        if (compact.Length % entrySize != 0)
        {
            throw TrackerException.Malformed($"'{key}' is {compact.Length} bytes, not a multiple of {entrySize}");
        }

        var addressSize = entrySize - 2;
        for (var offset = 0; offset < compact.Length && peers.Count < maxPeers; offset += entrySize)
        {
            var entry = compact.Slice(offset, entrySize);
            var port = BinaryPrimitives.ReadUInt16BigEndian(entry[addressSize..]);
            if (port != 0)
            {
                peers.Add(new IPEndPoint(new IPAddress(entry[..addressSize]), port));
            }
        }
    }

    private static void ReadDictionaryPeers(BList list, List<IPEndPoint> peers, int maxPeers)
    {
        foreach (var item in list.Items)
        {
            if (peers.Count >= maxPeers)
            {
                return;
            }

            if (item is not BDictionary peer)
            {
                throw TrackerException.Malformed("a 'peers' entry is not a dictionary");
            }

            if (!peer.TryGetValue("ip"u8, out var ipValue) || ipValue is not BString ip)
            {
                throw TrackerException.Malformed("a 'peers' entry has no 'ip' string");
            }

            if (!peer.TryGetValue("port"u8, out var portValue) || portValue is not BInteger { Value: >= 0 and <= ushort.MaxValue } port)
            {
                throw TrackerException.Malformed("a 'peers' entry has no 'port' between 0 and 65535");
            }

            // BEP 3 lets 'ip' be a DNS name; only literal addresses are kept.
            if (port.Value != 0 && Ascii.IsValid(ip.Span) && IPAddress.TryParse(Encoding.ASCII.GetString(ip.Span), out var address))
            {
                peers.Add(new IPEndPoint(address, (int)port.Value));
            }
        }
    }

    private static bool TryGetSeconds(BDictionary reply, string key, out TimeSpan value)
    {
        value = default;
        if (!TryGetCount(reply, key, out var seconds))
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    // Counts and intervals are non-negative and fit 32 bits (BEP 15 sends them as int32); anything else is malformed.
    private static bool TryGetCount(BDictionary reply, string key, out int value)
    {
        value = 0;
        if (!reply.TryGetValue(key, out var raw))
        {
            return false;
        }

        if (raw is not BInteger { Value: >= 0 and <= int.MaxValue } integer)
        {
            throw TrackerException.Malformed($"'{key}' is not an integer between 0 and {int.MaxValue}");
        }

        value = (int)integer.Value;
        return true;
    }

    private static bool TryGetText(BDictionary reply, string key, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (!reply.TryGetValue(key, out var raw))
        {
            return false;
        }

        if (raw is not BString text)
        {
            throw TrackerException.Malformed($"'{key}' is not a string");
        }

        value = text.ToText();
        return true;
    }

    private static StringBuilder StartQuery(Uri baseUrl)
    {
        CheckHttpUrl(baseUrl);
        var url = new StringBuilder(baseUrl.GetLeftPart(UriPartial.Query), 256);
        if (url[^1] is not ('?' or '&'))
        {
            url.Append(baseUrl.Query.Length > 0 ? '&' : '?');
        }

        return url;
    }

    private static void CheckHttpUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{url}' is not an http or https tracker URL.", nameof(url));
        }
    }

    // BEP 3: every byte outside 0-9, a-z, A-Z, '.', '-', '_' and '~' is written as %nn.
    private static void AppendPercentEncoded(StringBuilder url, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z')
                or (byte)'.' or (byte)'-' or (byte)'_' or (byte)'~')
            {
                url.Append((char)b);
            }
            else
            {
                url.Append('%').Append((char)HexDigits[b >> 4]).Append((char)HexDigits[b & 0xF]);
            }
        }
    }
}
