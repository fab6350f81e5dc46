using System.Net;
using System.Text;
using Upseed.Dht.Krpc;

namespace Upseed.Dht.Tests.Krpc;

public class KrpcCodecTests
{
    private static readonly NodeId s_abc = Id("abcdefghij0123456789");
    private static readonly NodeId s_mno = Id("mnopqrstuvwxyz123456");

    private static NodeId Id(string ascii) => new(Encoding.ASCII.GetBytes(ascii));

    private static byte[] B(string ascii) => Encoding.ASCII.GetBytes(ascii);

    private static string S(byte[] bytes) => Encoding.ASCII.GetString(bytes);

    // BEP 5 "KRPC Protocol" examples, byte for byte.
    [Fact]
    public void Ping_Bep5Example()
    {
        const string query = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe";
        const string response = "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re";

        Assert.Equal(query, S(KrpcCodec.Encode(KrpcMessage.ForQuery(B("aa"), new PingQuery(s_abc)))));
        Assert.Equal(response, S(KrpcCodec.Encode(KrpcMessage.ForResponse(B("aa"), new KrpcResponse(s_mno)))));

        Assert.True(KrpcCodec.TryDecode(B(query), out var q, out _));
        Assert.Equal(new PingQuery(s_abc), q.Query);
        Assert.Equal("aa", S(q.TransactionId.ToArray()));
        Assert.True(KrpcCodec.TryDecode(B(response), out var r, out _));
        Assert.True(KrpcCodec.TryReadResponse(r, QueryKind.Ping, out var typed, out _));
        Assert.Equal(s_mno, typed.Id);
    }

    [Fact]
    public void Error_Bep5Example()
    {
        const string error = "d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee";

        Assert.Equal(error, S(KrpcCodec.Encode(KrpcMessage.ForError(B("aa"), new KrpcError(201, "A Generic Error Ocurred")))));
        Assert.True(KrpcCodec.TryDecode(B(error), out var m, out _));
        Assert.Equal(new KrpcError(201, "A Generic Error Ocurred"), m.Error);
    }

    [Fact]
    public void FindNode_Bep5Example()
    {
        const string query = "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe";

        Assert.Equal(query, S(KrpcCodec.Encode(KrpcMessage.ForQuery(B("aa"), new FindNodeQuery(s_abc, s_mno, [])))));
        Assert.True(KrpcCodec.TryDecode(B(query), out var m, out _));
        var f = Assert.IsType<FindNodeQuery>(m.Query);
        Assert.Equal(s_mno, f.Target);
    }

    [Fact]
    public void GetPeers_Bep5Example()
    {
        const string query = "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe";
        const string response = "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re";

        Assert.Equal(query, S(KrpcCodec.Encode(KrpcMessage.ForQuery(B("aa"), new GetPeersQuery(s_abc, s_mno, [], false, false)))));
        Assert.True(KrpcCodec.TryDecode(B(response), out var r, out _));
        Assert.True(KrpcCodec.TryReadResponse(r, QueryKind.GetPeers, out var typed, out _));
        Assert.Equal(2, typed.Values.Count);
        Assert.Equal("aoeusnth", S(typed.Token.ToArray()));
        Assert.Equal(response, S(KrpcCodec.Encode(KrpcMessage.ForResponse(B("aa"), typed))));
    }

    [Fact]
    public void AnnouncePeer_Bep5Example()
    {
        const string query = "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe";

        Assert.Equal(query, S(KrpcCodec.Encode(KrpcMessage.ForQuery(B("aa"), new AnnouncePeerQuery(s_abc, s_mno, 6881, true, B("aoeusnth"), false)))));
        Assert.True(KrpcCodec.TryDecode(B(query), out var m, out _));
        var a = Assert.IsType<AnnouncePeerQuery>(m.Query);
        Assert.True(a.ImpliedPort);
        Assert.Equal(6881, a.Port);
    }

    [Fact]
    public void RoundTrip_AllQueryKinds_AndReadOnlyFlag()
    {
        KrpcQuery[] queries =
        [
            new FindNodeQuery(s_abc, s_mno, ["n4", "n6"]),
            new GetPeersQuery(s_abc, s_mno, ["n6"], true, true),
            new AnnouncePeerQuery(s_abc, s_mno, 6881, false, B("tok"), true),
            new GetQuery(s_abc, s_mno, 5),
            new GetQuery(s_abc, s_mno, null),
            new PutQuery(s_abc, B("tok"), B("12:Hello World!"), default, default, 0, default, null),
            new PutQuery(s_abc, B("tok"), B("d2:ih20:mnopqrstuvwxyz123456e"), new byte[32], B("salt"), 3, new byte[64], 2),
        ];

        foreach (var query in queries)
        {
            var bytes = KrpcCodec.Encode(KrpcMessage.ForQuery(B("t1"), query, readOnly: true));
            Assert.True(KrpcCodec.TryDecode(bytes, out var m, out _), S(bytes));
            Assert.True(m.ReadOnly);
            Assert.Equal(query.Kind, m.Query!.Kind);
            Assert.Equal(bytes, KrpcCodec.Encode(m with { }));
        }
    }

    [Fact]
    public void RoundTrip_FullResponse_WithExternalIp()
    {
        var response = new KrpcResponse(s_mno)
        {
            Nodes = [new CompactNode(s_abc, new IPEndPoint(IPAddress.Parse("1.2.3.4"), 6881))],
            Nodes6 = [new CompactNode(s_abc, new IPEndPoint(IPAddress.Parse("2001:db8::1"), 6882))],
            Values = [new IPEndPoint(IPAddress.Parse("5.6.7.8"), 1), new IPEndPoint(IPAddress.Parse("2001:db8::2"), 2)],
            Token = B("tk"),
            SeedsFilter = new byte[256],
            PeersFilter = new byte[256],
            Value = B("12:Hello World!"),
            PublicKey = new byte[32],
            Sequence = 4,
            Signature = new byte[64],
        };
        var ip = new IPEndPoint(IPAddress.Parse("9.9.9.9"), 4444);

        var bytes = KrpcCodec.Encode(KrpcMessage.ForResponse(B("xy"), response, ip));

        Assert.True(KrpcCodec.TryDecode(bytes, out var m, out _));
        Assert.Equal(ip, m.ExternalAddress);
        Assert.True(KrpcCodec.TryReadResponse(m, QueryKind.Get, out var typed, out var error), error);
        Assert.Equal(response.Nodes, typed.Nodes);
        Assert.Equal(response.Nodes6, typed.Nodes6);
        Assert.Equal(response.Values, typed.Values);
        Assert.Equal(4, typed.Sequence);
        Assert.Equal(bytes, KrpcCodec.Encode(KrpcMessage.ForResponse(B("xy"), typed, m.ExternalAddress)));
    }

    [Fact]
    public void UnsortedKeys_FromOtherClients_AreAccepted()
    {
        Assert.True(KrpcCodec.TryDecode(B("d1:t2:aa1:y1:q1:q4:ping1:ad2:id20:abcdefghij0123456789ee"), out var m, out _));
        Assert.IsType<PingQuery>(m.Query);
    }

    [Theory]
    [InlineData("d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe", 203)] // short id
    [InlineData("d1:q4:ping1:t2:aa1:y1:qe", 203)] // no a
    [InlineData("d1:ad2:id20:abcdefghij0123456789e1:q4:pong1:t2:aa1:y1:qe", 204)]
    [InlineData("d1:ad2:id20:abcdefghij01234567896:target3:abce1:q9:find_node1:t2:aa1:y1:qe", 203)]
    [InlineData("d1:ad2:id20:abcdefghij01234567894:porti6881e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe", 203)] // no info_hash
    [InlineData("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti70000e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe", 203)]
    [InlineData("d1:ad2:id20:abcdefghij01234567895:token1:x1:vd1:bi1e1:ai2eee1:q3:put1:t2:aa1:y1:qe", 203)] // unsorted v
    [InlineData("d1:ad2:id20:abcdefghij01234567895:token1:xe1:q3:put1:t2:aa1:y1:qe", 203)] // no v
    public void MalformedQuery_GetsErrorReply(string datagram, int code)
    {
        Assert.False(KrpcCodec.TryDecode(B(datagram), out _, out var reply));
        Assert.NotNull(reply);
        Assert.Equal(code, reply.Error!.Code);
        Assert.Equal("aa", S(reply.TransactionId.ToArray()));
    }

    [Fact]
    public void PutLimits_GetBep44Codes()
    {
        var bigValue = "1000:" + new string('x', 1000);
        var big = "d1:ad2:id20:abcdefghij01234567895:token1:x1:v" + bigValue + "e1:q3:put1:t2:aa1:y1:qe";
        Assert.False(KrpcCodec.TryDecode(B(big), out _, out var reply));
        Assert.Equal(205, reply!.Error!.Code);

        var salt = new string('s', 65);
        var saltQuery = "d1:ad2:id20:abcdefghij01234567891:k32:" + new string('k', 32) + "4:salt65:" + salt + "3:seqi1e3:sig64:"
            + new string('g', 64) + "5:token1:x1:v1:xe1:q3:put1:t2:aa1:y1:qe";
        Assert.False(KrpcCodec.TryDecode(B(saltQuery), out _, out reply));
        Assert.Equal(207, reply!.Error!.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("li1ee")]
    [InlineData("d1:t2:aa1:y1:xe")]
    [InlineData("d1:y1:qe")] // no transaction id: nothing to answer
    [InlineData("d1:rd2:id3:abce1:t2:aa1:y1:re")]
    [InlineData("d1:eli201ee1:t2:aa1:y1:ee")]
    [InlineData("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe1:x1:y")]
    public void Junk_IsDropped(string datagram)
    {
        Assert.False(KrpcCodec.TryDecode(B(datagram), out var m, out var reply));
        Assert.Null(m);
        Assert.Null(reply);
    }

    [Fact]
    public void OversizedDatagram_IsDropped()
    {
        var big = B("d1:ad2:id20:abcdefghij01234567891:x1500:" + new string('x', 1500) + "e1:q4:ping1:t2:aa1:y1:qe");

        Assert.False(KrpcCodec.TryDecode(big, out _, out var reply));
        Assert.Null(reply);
    }

    [Fact]
    public void TryReadResponse_WrongShapes_AreRefused()
    {
        Assert.True(KrpcCodec.TryDecode(B("d1:rd2:id20:mnopqrstuvwxyz1234565:nodes3:abce1:t2:aa1:y1:re"), out var m, out _));
        Assert.False(KrpcCodec.TryReadResponse(m, QueryKind.FindNode, out _, out var error));
        Assert.Contains("26", error, StringComparison.Ordinal);

        Assert.True(KrpcCodec.TryDecode(B("d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re"), out m, out _));
        Assert.False(KrpcCodec.TryReadResponse(m, QueryKind.GetPeers, out _, out _));
        Assert.False(KrpcCodec.TryReadResponse(KrpcMessage.ForError(B("aa"), new KrpcError(201, "x")), QueryKind.Ping, out _, out _));
    }

    // Fixed-seed fuzz: random bytes and mutations of valid datagrams give only the documented outcomes.
    [Fact]
    public void Fuzz_RandomAndMutatedDatagrams_NeverThrow()
    {
        var random = new Random(4242);
        byte[][] seeds =
        [
            B("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"),
            B("d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re"),
            B("d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe"),
            KrpcCodec.Encode(KrpcMessage.ForQuery(B("t1"), new PutQuery(s_abc, B("tok"), B("d2:ih20:mnopqrstuvwxyz123456e"), new byte[32], B("salt"), 3, new byte[64], 2))),
        ];

        for (var i = 0; i < 20_000; i++)
        {
            byte[] datagram;
            if (i % 4 == 0)
            {
                datagram = new byte[random.Next(0, 64)];
                random.NextBytes(datagram);
            }
            else
            {
                datagram = (byte[])seeds[random.Next(seeds.Length)].Clone();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
                }
            }

            if (KrpcCodec.TryDecode(datagram, out var m, out var reply))
            {
                Assert.Null(reply);
                if (m.Kind == KrpcMessageKind.Response)
                {
                    foreach (var kind in Enum.GetValues<QueryKind>())
                    {
                        KrpcCodec.TryReadResponse(m, kind, out _, out _);
                    }
                }
            }
            else if (reply is not null)
            {
                Assert.Contains(reply.Error!.Code, new[] { 203, 204, 205, 207 });
            }
        }
    }
}
