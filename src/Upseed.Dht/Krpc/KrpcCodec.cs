using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;
using Upseed.Bencode;
using Upseed.Dht.Items;

namespace Upseed.Dht.Krpc;

/// <summary>Encodes KRPC messages as canonical bencode and decodes datagrams strictly (BEP 5, 32, 33, 42, 43, 44).</summary>
public static class KrpcCodec
{
    /// <summary>Largest datagram accepted: an Ethernet MTU. BEP 32 says never to send more than 1024 bytes.</summary>
    public const int MaxDatagramSize = 1500;

    /// <summary>Longest transaction id accepted; clients use 2–4 bytes.</summary>
    public const int MaxTransactionIdLength = 32;

    // KRPC needs depth 3 (message, a/r, want list); BEP 44 v sits at depth 3 and may itself nest (BEP 46 {"ih": …},
    // lists of dictionaries), so allow it three levels of its own.
    // Other implementations do not always sort their keys, so only BEP 44 values are checked for canonical form.
    private static readonly BencodeOptions s_options = new()
    {
        MaxDepth = 6,
        MaxMessageSize = MaxDatagramSize,
        MaxStringLength = MaxDatagramSize,
        MaxValues = 512,
        RequireSortedKeys = false,
    };

    /// <summary>The canonical bencoding of a message built with the <see cref="KrpcMessage"/> factories.</summary>
    /// <exception cref="ArgumentException">The message has no body to send (a decoded response body), or a node list mixes families.</exception>
    public static byte[] Encode(KrpcMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var root = new BDictionary();
        root.Set("t", message.TransactionId);
        if (!message.Version.IsEmpty)
        {
            root.Set("v", message.Version);
        }

        switch (message.Kind)
        {
            case KrpcMessageKind.Query:
                root.Set("y", "q");
                root.Set("q", MethodName(message.Query!.Kind));
                root.Set("a", QueryArguments(message.Query));
                if (message.ReadOnly)
                {
                    root.Set("ro", 1);
                }

                break;
            case KrpcMessageKind.Response:
                if (message.Response is null)
                {
                    throw new ArgumentException("Only responses built with ForResponse can be encoded.", nameof(message));
                }

                root.Set("y", "r");
                root.Set("r", ResponseBody(message.Response));
                if (message.ExternalAddress is not null)
                {
                    var ip = new ArrayBufferWriter<byte>(18);
                    CompactFormat.WritePeer(ip, message.ExternalAddress);
                    root.Set("ip", ip.WrittenMemory.ToArray());
                }

                break;
            default:
                root.Set("y", "e");
                root.Set("e", new BList(new BInteger(message.Error!.Code), new BString(message.Error.Message)));
                break;
        }

        return root.Encode();
    }

    /// <summary>
    /// Decodes one datagram. Returns true with the message when it is a well-formed query, response or error.
    /// Returns false with <paramref name="errorReply"/> set (a 203 protocol error, or 204 for an unknown method) when
    /// it is a query with a usable transaction id whose method or arguments are wrong; the caller sends that back.
    /// Returns false with both null for anything else (junk is dropped). Never throws.
    /// </summary>
    public static bool TryDecode(
        ReadOnlyMemory<byte> datagram,
        [NotNullWhen(true)] out KrpcMessage? message,
        out KrpcMessage? errorReply)
    {
        message = null;
        errorReply = null;
        if (datagram.Length > MaxDatagramSize)
        {
            return false;
        }

        BValue decoded;
        try
        {
            decoded = BencodeDecoder.Decode(datagram, s_options);
        }
        catch (BencodeException)
        {
            return false;
        }

        if (decoded is not BDictionary root
            || !TryString(root, "t", out var tid)
            || tid.Length > MaxTransactionIdLength
            || !TryString(root, "y", out var y)
            || y.Length != 1)
        {
            return false;
        }

        switch (y.Span[0])
        {
            case (byte)'q':
                var error = TryReadQuery(root, out var query);
                if (error is not null)
                {
                    errorReply = KrpcMessage.ForError(tid, error);
                    return false;
                }

                message = KrpcMessage.ForQuery(tid, query!, root.TryGetValue("ro", out var ro) && ro is BInteger { Value: 1 }) with
                {
                    Version = TryString(root, "v", out var qv) ? qv : default,
                };
                return true;
            case (byte)'r':
                if (!root.TryGetValue("r", out var r) || r is not BDictionary body || !TryId(body, "id", out _))
                {
                    return false;
                }

                IPEndPoint? external = null;
                if (TryString(root, "ip", out var ip) && !CompactFormat.TryReadPeer(ip.Span, out external))
                {
                    return false;
                }

                message = KrpcMessage.ForResponseBody(tid, body) with
                {
                    ExternalAddress = external,
                    Version = TryString(root, "v", out var rv) ? rv : default,
                };
                return true;
            case (byte)'e':
                if (!root.TryGetValue("e", out var e)
                    || e is not BList { Count: 2 } list
                    || list[0] is not BInteger code
                    || list[1] is not BString text
                    || code.Value is < 0 or > 999)
                {
                    return false;
                }

                message = KrpcMessage.ForError(tid, new KrpcError((int)code.Value, Encoding.UTF8.GetString(text.Span)));
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Types the body of a decoded response once the caller has matched it to a query of kind
    /// <paramref name="expected"/>. Returns false with a reason when a field has the wrong type or size, or a field
    /// that kind of response needs is missing.
    /// </summary>
    public static bool TryReadResponse(
        KrpcMessage raw,
        QueryKind expected,
        [NotNullWhen(true)] out KrpcResponse? response,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(raw);
        response = null;
        var body = raw.ResponseBody;
        if (body is null || !TryId(body, "id", out var id))
        {
            error = "not a decoded response";
            return false;
        }

        var result = new KrpcResponse(id);
        if (OptionalString(body, "nodes", out var nodes, out error))
        {
            if (!CompactFormat.TryReadNodes(nodes.Span, CompactFormat.Node4Size, out var list))
            {
                error = "nodes is not a multiple of 26 bytes";
                return false;
            }

            result = result with { Nodes = list };
        }

        if (error is null && OptionalString(body, "nodes6", out var nodes6, out error))
        {
            if (!CompactFormat.TryReadNodes(nodes6.Span, CompactFormat.Node6Size, out var list))
            {
                error = "nodes6 is not a multiple of 38 bytes";
                return false;
            }

            result = result with { Nodes6 = list };
        }

        if (error is null && body.TryGetValue("values", out var values))
        {
            var peers = new List<IPEndPoint>();
            if (values is not BList valueList)
            {
                error = "values is not a list";
                return false;
            }

            foreach (var item in valueList.Items)
            {
                if (item is not BString s || !CompactFormat.TryReadPeer(s.Span, out var peer))
                {
                    error = "values holds a peer that is not 6 or 18 bytes";
                    return false;
                }

                peers.Add(peer!);
            }

            result = result with { Values = peers };
        }

        if (error is null && OptionalString(body, "token", out var token, out error))
        {
            result = result with { Token = token };
        }

        if (error is null && OptionalString(body, "BFsd", out var bfsd, out error))
        {
            error = bfsd.Length == ScrapeBloomFilter.Size ? null : "BFsd is not 256 bytes";
            result = result with { SeedsFilter = bfsd };
        }

        if (error is null && OptionalString(body, "BFpe", out var bfpe, out error))
        {
            error = bfpe.Length == ScrapeBloomFilter.Size ? null : "BFpe is not 256 bytes";
            result = result with { PeersFilter = bfpe };
        }

        if (error is null && body.TryGetValue("v", out var v))
        {
            result = result with { Value = v.Raw };
        }

        if (error is null && OptionalString(body, "k", out var k, out error))
        {
            error = k.Length == ItemLimits.PublicKeySize ? null : "k is not 32 bytes";
            result = result with { PublicKey = k };
        }

        if (error is null && OptionalString(body, "sig", out var sig, out error))
        {
            error = sig.Length == ItemLimits.SignatureSize ? null : "sig is not 64 bytes";
            result = result with { Signature = sig };
        }

        if (error is null && body.TryGetValue("seq", out var seq))
        {
            if (seq is BInteger seqValue)
            {
                result = result with { Sequence = seqValue.Value };
            }
            else
            {
                error = "seq is not an integer";
            }
        }

        error ??= expected switch
        {
            QueryKind.FindNode when result.Nodes.Count == 0 && result.Nodes6.Count == 0 && !body.ContainsKey("nodes")
                && !body.ContainsKey("nodes6") => "find_node response without nodes",
            QueryKind.GetPeers when result.Token.IsEmpty => "get_peers response without a token",
            QueryKind.Get when !result.PublicKey.IsEmpty && (result.Signature.IsEmpty || result.Sequence is null || result.Value.IsEmpty)
                => "mutable item without sig, seq or v",
            _ => null,
        };

        if (error is not null)
        {
            return false;
        }

        response = result;
        return true;
    }

    internal static string MethodName(QueryKind kind) => kind switch
    {
        QueryKind.Ping => "ping",
        QueryKind.FindNode => "find_node",
        QueryKind.GetPeers => "get_peers",
        QueryKind.AnnouncePeer => "announce_peer",
        QueryKind.Get => "get",
        _ => "put",
    };

    private static BDictionary QueryArguments(KrpcQuery query)
    {
        var a = new BDictionary();
        a.Set("id", query.Id.ToArray());
        switch (query)
        {
            case FindNodeQuery f:
                a.Set("target", f.Target.ToArray());
                SetWant(a, f.Want);
                break;
            case GetPeersQuery g:
                a.Set("info_hash", g.InfoHash.ToArray());
                SetWant(a, g.Want);
                if (g.NoSeed)
                {
                    a.Set("noseed", 1);
                }

                if (g.Scrape)
                {
                    a.Set("scrape", 1);
                }

                break;
            case AnnouncePeerQuery p:
                a.Set("info_hash", p.InfoHash.ToArray());
                a.Set("port", p.Port);
                a.Set("token", p.Token);
                a.Set("implied_port", p.ImpliedPort ? 1 : 0);
                if (p.Seed)
                {
                    a.Set("seed", 1);
                }

                break;
            case GetQuery g:
                a.Set("target", g.Target.ToArray());
                if (g.Sequence is { } seq)
                {
                    a.Set("seq", seq);
                }

                break;
            case PutQuery p:
                a.Set("token", p.Token);
                a.Set("v", BencodeDecoder.Decode(p.Value));
                if (p.IsMutable)
                {
                    a.Set("k", p.PublicKey);
                    if (!p.Salt.IsEmpty)
                    {
                        a.Set("salt", p.Salt);
                    }

                    a.Set("seq", p.Sequence);
                    a.Set("sig", p.Signature);
                    if (p.Cas is { } cas)
                    {
                        a.Set("cas", cas);
                    }
                }

                break;
            default:
                break;
        }

        return a;
    }

    private static void SetWant(BDictionary a, IReadOnlyList<string> want)
    {
        if (want.Count > 0)
        {
            a.Set("want", new BList([.. want.Select(w => (BValue)new BString(w))]));
        }
    }

    private static BDictionary ResponseBody(KrpcResponse r)
    {
        var d = new BDictionary();
        d.Set("id", r.Id.ToArray());
        if (r.Nodes.Count > 0)
        {
            d.Set("nodes", CompactFormat.WriteNodes(r.Nodes, CompactFormat.Node4Size));
        }

        if (r.Nodes6.Count > 0)
        {
            d.Set("nodes6", CompactFormat.WriteNodes(r.Nodes6, CompactFormat.Node6Size));
        }

        if (r.Values.Count > 0)
        {
            var peers = new List<BValue>(r.Values.Count);
            foreach (var peer in r.Values)
            {
                var w = new ArrayBufferWriter<byte>(18);
                CompactFormat.WritePeer(w, peer);
                peers.Add(new BString(w.WrittenMemory.ToArray()));
            }

            d.Set("values", new BList(peers));
        }

        SetIfAny(d, "token", r.Token);
        SetIfAny(d, "BFsd", r.SeedsFilter);
        SetIfAny(d, "BFpe", r.PeersFilter);
        if (!r.Value.IsEmpty)
        {
            d.Set("v", BencodeDecoder.Decode(r.Value));
        }

        SetIfAny(d, "k", r.PublicKey);
        SetIfAny(d, "sig", r.Signature);
        if (r.Sequence is { } seq)
        {
            d.Set("seq", seq);
        }

        return d;
    }

    private static void SetIfAny(BDictionary d, string key, ReadOnlyMemory<byte> value)
    {
        if (!value.IsEmpty)
        {
            d.Set(key, value);
        }
    }

    private static KrpcError? TryReadQuery(BDictionary root, out KrpcQuery? query)
    {
        query = null;
        if (!TryString(root, "q", out var q))
        {
            return Protocol("q is missing");
        }

        if (!root.TryGetValue("a", out var av) || av is not BDictionary a)
        {
            return Protocol("a is missing");
        }

        if (!TryId(a, "id", out var id))
        {
            return Protocol("a.id is not 20 bytes");
        }

        switch (Encoding.ASCII.GetString(q.Span))
        {
            case "ping":
                query = new PingQuery(id);
                return null;
            case "find_node":
                if (!TryId(a, "target", out var target))
                {
                    return Protocol("target is not 20 bytes");
                }

                if (!TryWant(a, out var want))
                {
                    return Protocol("want is not a list of strings");
                }

                query = new FindNodeQuery(id, target, want);
                return null;
            case "get_peers":
                if (!TryId(a, "info_hash", out var infoHash))
                {
                    return Protocol("info_hash is not 20 bytes");
                }

                if (!TryWant(a, out var peersWant))
                {
                    return Protocol("want is not a list of strings");
                }

                if (!TryFlag(a, "noseed", out var noSeed) || !TryFlag(a, "scrape", out var scrape))
                {
                    return Protocol("noseed/scrape is not an integer");
                }

                query = new GetPeersQuery(id, infoHash, peersWant, noSeed, scrape);
                return null;
            case "announce_peer":
                return ReadAnnounce(a, id, out query);
            case "get":
                if (!TryId(a, "target", out var getTarget))
                {
                    return Protocol("target is not 20 bytes");
                }

                long? getSeq = null;
                if (a.TryGetValue("seq", out var sv))
                {
                    if (sv is not BInteger s)
                    {
                        return Protocol("seq is not an integer");
                    }

                    getSeq = s.Value;
                }

                query = new GetQuery(id, getTarget, getSeq);
                return null;
            case "put":
                return ReadPut(a, id, out query);
            default:
                return new KrpcError(KrpcErrorCode.MethodUnknown, "Method Unknown");
        }
    }

    private static KrpcError? ReadAnnounce(BDictionary a, NodeId id, out KrpcQuery? query)
    {
        query = null;
        if (!TryId(a, "info_hash", out var infoHash))
        {
            return Protocol("info_hash is not 20 bytes");
        }

        if (!TryString(a, "token", out var token))
        {
            return Protocol("token is missing");
        }

        if (!TryFlag(a, "implied_port", out var implied) || !TryFlag(a, "seed", out var seed))
        {
            return Protocol("implied_port/seed is not an integer");
        }

        var port = 0;
        if (a.TryGetValue("port", out var pv))
        {
            if (pv is not BInteger { Value: >= 0 and <= 65535 } p)
            {
                return Protocol("port is out of range");
            }

            port = (int)p.Value;
        }

        // BEP 5: the port may be absent or zero only when implied_port says to use the UDP source port.
        if (!implied && port == 0)
        {
            return Protocol("port is missing");
        }

        query = new AnnouncePeerQuery(id, infoHash, port, implied, token, seed);
        return null;
    }

    private static KrpcError? ReadPut(BDictionary a, NodeId id, out KrpcQuery? query)
    {
        query = null;
        if (!TryString(a, "token", out var token))
        {
            return Protocol("token is missing");
        }

        if (!a.TryGetValue("v", out var v))
        {
            return Protocol("v is missing");
        }

        // BEP 44: storers may reject v over 1000 bytes (205) and must reject invalid bencoding, e.g. unsorted keys (203).
        if (v.Raw.Length > ItemLimits.MaxValueSize)
        {
            return new KrpcError(KrpcErrorCode.ValueTooBig, "Message (v field) too big.");
        }

        if (!ImmutableItem.IsValidValue(v.Raw))
        {
            return Protocol("v is not canonical bencode");
        }

        ReadOnlyMemory<byte> k = default, salt = default, sig = default;
        long seq = 0;
        long? cas = null;
        if (a.TryGetValue("k", out _))
        {
            if (!TryString(a, "k", out k) || k.Length != ItemLimits.PublicKeySize)
            {
                return Protocol("k is not 32 bytes");
            }

            if (a.TryGetValue("salt", out _) && !TryString(a, "salt", out salt))
            {
                return Protocol("salt is not a string");
            }

            if (salt.Length > ItemLimits.MaxSaltSize)
            {
                return new KrpcError(KrpcErrorCode.SaltTooBig, "salt (salt field) too big.");
            }

            if (!TryString(a, "sig", out sig) || sig.Length != ItemLimits.SignatureSize)
            {
                return Protocol("sig is not 64 bytes");
            }

            if (!a.TryGetValue("seq", out var sv) || sv is not BInteger s)
            {
                return Protocol("seq is missing");
            }

            seq = s.Value;
            if (a.TryGetValue("cas", out var cv))
            {
                if (cv is not BInteger c)
                {
                    return Protocol("cas is not an integer");
                }

                cas = c.Value;
            }
        }

        query = new PutQuery(id, token, v.Raw, k, salt, seq, sig, cas);
        return null;
    }

    private static KrpcError Protocol(string reason) => new(KrpcErrorCode.Protocol, "Protocol Error: " + reason);

    private static bool TryString(BDictionary d, string key, out ReadOnlyMemory<byte> value)
    {
        if (d.TryGetValue(key, out var v) && v is BString s)
        {
            value = s.Value;
            return true;
        }

        value = default;
        return false;
    }

    // True when the key is present as a string; error set when present with another type.
    private static bool OptionalString(BDictionary d, string key, out ReadOnlyMemory<byte> value, out string? error)
    {
        error = null;
        value = default;
        if (!d.TryGetValue(key, out var v))
        {
            return false;
        }

        if (v is not BString s)
        {
            error = key + " is not a string";
            return false;
        }

        value = s.Value;
        return true;
    }

    private static bool TryId(BDictionary d, string key, out NodeId id)
    {
        if (TryString(d, key, out var bytes) && bytes.Length == NodeId.Size)
        {
            id = new NodeId(bytes.Span);
            return true;
        }

        id = default;
        return false;
    }

    private static bool TryFlag(BDictionary d, string key, out bool flag)
    {
        flag = false;
        if (!d.TryGetValue(key, out var v))
        {
            return true;
        }

        if (v is not BInteger i)
        {
            return false;
        }

        flag = i.Value != 0;
        return true;
    }

    private static bool TryWant(BDictionary d, out IReadOnlyList<string> want)
    {
        want = [];
        if (!d.TryGetValue("want", out var v))
        {
            return true;
        }

        if (v is not BList list)
        {
            return false;
        }

        var result = new List<string>(list.Count);
        foreach (var item in list.Items)
        {
            if (item is not BString s || s.Span.Length > 8)
            {
                return false;
            }

            result.Add(Encoding.ASCII.GetString(s.Span));
        }

        want = result;
        return true;
    }
}
