using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Upseed.Metainfo;

namespace Upseed.Torrent.Trackers;

/// <summary>
/// Writes and reads BEP 15 UDP tracker packets. Every integer is big-endian. Pure: no sockets, no clock.
/// </summary>
public static class UdpTrackerCodec
{
    /// <summary>The magic <c>protocol_id</c> of a connect request (BEP 15).</summary>
    public const long ProtocolId = 0x41727101980;

    /// <summary><c>action</c> and <c>transaction_id</c>, the start of every reply.</summary>
    public const int ReplyHeaderSize = 8;

    /// <summary>protocol_id (8) + action (4) + transaction_id (4).</summary>
    public const int ConnectRequestSize = 16;

    /// <summary>action (4) + transaction_id (4) + connection_id (8).</summary>
    public const int ConnectResponseSize = 16;

    /// <summary>
    /// connection_id 8, action 4, transaction_id 4, info_hash 20, peer_id 20, downloaded 8, left 8, uploaded 8,
    /// event 4, ip 4, key 4, num_want 4, port 2.
    /// </summary>
    public const int AnnounceRequestSize = 98;

    /// <summary>action, transaction_id, interval, leechers, seeders: five 32-bit fields before the peers.</summary>
    public const int AnnounceResponseHeaderSize = 20;

    /// <summary>connection_id (8) + action (4) + transaction_id (4), then 20 bytes per info-hash.</summary>
    public const int ScrapeRequestHeaderSize = 16;

    /// <summary>seeders, completed, leechers: three 32-bit fields per info-hash in a scrape reply.</summary>
    public const int ScrapeEntrySize = 12;

    /// <summary>
    /// Most info-hashes in one scrape (BEP 15: "up to about 74"): 74 · 12 + 8 = 896 bytes of reply, which stays under
    /// common path MTUs.
    /// </summary>
    public const int MaxScrapeHashes = 74;

    // BEP 15 peers: a 4-byte IPv4 address or, from a tracker reached over IPv6, a 16-byte IPv6 address; then a 2-byte port.
    private const int IPv4PeerSize = 6;
    private const int IPv6PeerSize = 18;

    /// <summary>Writes a connect request; returns <see cref="ConnectRequestSize"/>.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="ConnectRequestSize"/>.</exception>
    public static int WriteConnectRequest(Span<byte> destination, uint transactionId)
    {
        CheckDestination(destination, ConnectRequestSize);
        BinaryPrimitives.WriteInt64BigEndian(destination, ProtocolId);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], (int)UdpTrackerAction.Connect);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], transactionId);
        return ConnectRequestSize;
    }

    /// <summary>
    /// Writes an announce request; returns <see cref="AnnounceRequestSize"/>. <c>ip</c> is 0 (the tracker uses the
    /// packet's source), <c>key</c> is 0 and <c>num_want</c> -1 ("default") when the request leaves them unset.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="AnnounceRequestSize"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The port is outside 1–65535, or a byte count is negative.</exception>
    public static int WriteAnnounceRequest(Span<byte> destination, long connectionId, uint transactionId, AnnounceRequest request)
    {
        AnnounceRequest.ThrowIfInvalid(request);
        CheckDestination(destination, AnnounceRequestSize);

        // BEP 15 numbers the events 0 none, 1 completed, 2 started, 3 stopped.
        var wireEvent = request.Event switch
        {
            AnnounceEvent.None => 0,
            AnnounceEvent.Completed => 1,
            AnnounceEvent.Started => 2,
            AnnounceEvent.Stopped => 3,
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Event, "Unknown announce event."),
        };

        BinaryPrimitives.WriteInt64BigEndian(destination, connectionId);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], (int)UdpTrackerAction.Announce);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], transactionId);
        request.InfoHash.CopyTo(destination[16..36]);
        request.PeerId.Span.CopyTo(destination[36..56]);
        BinaryPrimitives.WriteInt64BigEndian(destination[56..], request.Downloaded);
        BinaryPrimitives.WriteInt64BigEndian(destination[64..], request.Left);
        BinaryPrimitives.WriteInt64BigEndian(destination[72..], request.Uploaded);
        BinaryPrimitives.WriteInt32BigEndian(destination[80..], wireEvent);
        BinaryPrimitives.WriteUInt32BigEndian(destination[84..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[88..], request.Key ?? 0);
        BinaryPrimitives.WriteInt32BigEndian(destination[92..], request.NumWant ?? -1);
        BinaryPrimitives.WriteUInt16BigEndian(destination[96..], (ushort)request.Port);
        return AnnounceRequestSize;
    }

    /// <summary>Writes a scrape request for 1 to <see cref="MaxScrapeHashes"/> info-hashes; returns its length.</summary>
    /// <exception cref="ArgumentException">No hashes, more than <see cref="MaxScrapeHashes"/>, or the destination is too short.</exception>
    public static int WriteScrapeRequest(Span<byte> destination, long connectionId, uint transactionId, ReadOnlySpan<InfoHash> infoHashes)
    {
        if (infoHashes.IsEmpty || infoHashes.Length > MaxScrapeHashes)
        {
            throw new ArgumentException($"A UDP scrape carries 1 to {MaxScrapeHashes} info-hashes, not {infoHashes.Length}.", nameof(infoHashes));
        }

        var size = ScrapeRequestHeaderSize + (infoHashes.Length * InfoHash.Size);
        CheckDestination(destination, size);
        BinaryPrimitives.WriteInt64BigEndian(destination, connectionId);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], (int)UdpTrackerAction.Scrape);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], transactionId);
        for (var i = 0; i < infoHashes.Length; i++)
        {
            infoHashes[i].CopyTo(destination.Slice(ScrapeRequestHeaderSize + (i * InfoHash.Size), InfoHash.Size));
        }

        return size;
    }

    /// <summary>
    /// Reads the <c>action</c> and <c>transaction_id</c> every reply starts with. False when the datagram is shorter
    /// than <see cref="ReplyHeaderSize"/>; the action is not checked against the known values.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> datagram, out UdpTrackerAction action, out uint transactionId)
    {
        if (datagram.Length < ReplyHeaderSize)
        {
            action = default;
            transactionId = 0;
            return false;
        }

        action = (UdpTrackerAction)BinaryPrimitives.ReadInt32BigEndian(datagram);
        transactionId = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        return true;
    }

    /// <summary>
    /// The shortest well-formed reply of <paramref name="action"/>: what a client must receive before parsing
    /// (BEP 15 says to check the size first). A scrape reply needs one entry per requested hash.
    /// </summary>
    public static int MinimumReplySize(UdpTrackerAction action, int scrapeCount = 0) => action switch
    {
        UdpTrackerAction.Connect => ConnectResponseSize,
        UdpTrackerAction.Announce => AnnounceResponseHeaderSize,
        UdpTrackerAction.Scrape => ReplyHeaderSize + (scrapeCount * ScrapeEntrySize),
        _ => ReplyHeaderSize,
    };

    /// <summary>Reads a connect reply and returns the <c>connection_id</c>. Bytes after the first 16 are ignored.</summary>
    /// <exception cref="TrackerException">
    /// <see cref="TrackerErrorKind.Rejected"/> for an error packet; <see cref="TrackerErrorKind.MalformedReply"/> for
    /// another action or a short packet.
    /// </exception>
    public static long ReadConnectResponse(ReadOnlySpan<byte> datagram)
    {
        CheckReply(datagram, UdpTrackerAction.Connect, ConnectResponseSize);
        return BinaryPrimitives.ReadInt64BigEndian(datagram[8..]);
    }

    /// <summary>
    /// Reads an announce reply: interval, leechers, seeders, then peers of 6 bytes, or 18 when the tracker was reached
    /// over IPv6 (<paramref name="trackerAddressFamily"/>). Peers past <paramref name="maxPeers"/> and peers with port 0
    /// are dropped.
    /// </summary>
    /// <exception cref="TrackerException">
    /// <see cref="TrackerErrorKind.Rejected"/> for an error packet; <see cref="TrackerErrorKind.MalformedReply"/> for
    /// another action, a short packet, a negative count, or peers that do not fill whole entries.
    /// </exception>
    /// <exception cref="ArgumentException">The address family is neither IPv4 nor IPv6.</exception>
    public static AnnounceResponse ReadAnnounceResponse(
        ReadOnlySpan<byte> datagram,
        AddressFamily trackerAddressFamily,
        int maxPeers = HttpTrackerCodec.DefaultMaxPeers)
    {
        var entrySize = trackerAddressFamily switch
        {
            AddressFamily.InterNetwork => IPv4PeerSize,
            AddressFamily.InterNetworkV6 => IPv6PeerSize,
            _ => throw new ArgumentException($"A UDP tracker is reached over IPv4 or IPv6, not {trackerAddressFamily}.", nameof(trackerAddressFamily)),
        };

        CheckReply(datagram, UdpTrackerAction.Announce, AnnounceResponseHeaderSize);
        var interval = ReadCount(datagram[8..], "interval");
        var leechers = ReadCount(datagram[12..], "leechers");
        var seeders = ReadCount(datagram[16..], "seeders");

        var compact = datagram[AnnounceResponseHeaderSize..];
        var peers = new List<IPEndPoint>(Math.Min(compact.Length / entrySize, Math.Max(0, maxPeers)));
        HttpTrackerCodec.ReadCompactPeers(compact, entrySize, "peers", peers, maxPeers);

        return new AnnounceResponse(TimeSpan.FromSeconds(interval), null, seeders, leechers, peers, null);
    }

    /// <summary>
    /// Reads a scrape reply for <paramref name="count"/> requested hashes: one result per hash, in request order
    /// (BEP 15 sends seeders, completed, leechers).
    /// </summary>
    /// <exception cref="TrackerException">
    /// <see cref="TrackerErrorKind.Rejected"/> for an error packet; <see cref="TrackerErrorKind.MalformedReply"/> for
    /// another action, fewer entries than hashes asked for, or a negative count.
    /// </exception>
    public static IReadOnlyList<ScrapeResult> ReadScrapeResponse(ReadOnlySpan<byte> datagram, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxScrapeHashes);
        CheckReply(datagram, UdpTrackerAction.Scrape, MinimumReplySize(UdpTrackerAction.Scrape, count));
        var results = new ScrapeResult[count];
        for (var i = 0; i < count; i++)
        {
            var entry = datagram.Slice(ReplyHeaderSize + (i * ScrapeEntrySize), ScrapeEntrySize);
            var seeders = ReadCount(entry, "seeders");
            var completed = ReadCount(entry[4..], "completed");
            var leechers = ReadCount(entry[8..], "leechers");
            results[i] = new ScrapeResult(seeders, leechers, completed);
        }

        return results;
    }

    /// <summary>
    /// The message of an error packet (action 3), as UTF-8 with trailing NULs removed: opentracker ends its messages
    /// with one.
    /// </summary>
    /// <exception cref="TrackerException"><see cref="TrackerErrorKind.MalformedReply"/>: not an error packet.</exception>
    public static string ReadErrorMessage(ReadOnlySpan<byte> datagram)
    {
        if (!TryReadHeader(datagram, out var action, out _) || action != UdpTrackerAction.Error)
        {
            throw TrackerException.Malformed("not an error packet");
        }

        return Encoding.UTF8.GetString(datagram[ReplyHeaderSize..].TrimEnd((byte)0));
    }

    private static void CheckReply(ReadOnlySpan<byte> datagram, UdpTrackerAction expected, int minimumSize)
    {
        if (!TryReadHeader(datagram, out var action, out _))
        {
            throw TrackerException.Malformed($"{datagram.Length} bytes, shorter than a reply header");
        }

        if (action == UdpTrackerAction.Error)
        {
            throw TrackerException.Rejected(ReadErrorMessage(datagram));
        }

        if (action != expected)
        {
            throw TrackerException.Malformed($"action {(int)action} in reply to {expected}");
        }

        if (datagram.Length < minimumSize)
        {
            throw TrackerException.Malformed($"a {expected} reply of {datagram.Length} bytes, shorter than {minimumSize}");
        }
    }

    private static int ReadCount(ReadOnlySpan<byte> field, string name)
    {
        var value = BinaryPrimitives.ReadInt32BigEndian(field);
        return value >= 0 ? value : throw TrackerException.Malformed($"negative {name} {value}");
    }

    private static void CheckDestination(Span<byte> destination, int size)
    {
        if (destination.Length < size)
        {
            throw new ArgumentException($"The packet needs {size} bytes; the destination holds {destination.Length}.", nameof(destination));
        }
    }
}
