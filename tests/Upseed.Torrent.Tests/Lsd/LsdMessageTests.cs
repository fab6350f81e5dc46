using System.Text;
using Upseed.Metainfo;
using Upseed.Torrent.Lsd;

namespace Upseed.Torrent.Tests.Lsd;

public class LsdMessageTests
{
    private static readonly InfoHash s_a = InfoHash.Parse("0123456789abcdef0123456789abcdef01234567");
    private static readonly InfoHash s_b = InfoHash.Parse("fedcba9876543210fedcba9876543210fedcba98");

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static LsdParseResult Parse(string text) => LsdMessage.TryParse(Ascii(text), out _);

    [Fact]
    public void Encode_BepExampleForm_GoldenBytes()
    {
        // BEP 14, "Announce": BT-SEARCH * HTTP/1.1, Host, Port, Infohash, cookie, then "\r\n\r\n\r\n".
        var bytes = new LsdMessage(6881, [s_a], "abc123", LsdMessage.IPv4Host).Encode();

        Assert.Equal(
            "BT-SEARCH * HTTP/1.1\r\n"
            + "Host: 239.192.152.143:6771\r\n"
            + "Port: 6881\r\n"
            + "Infohash: 0123456789abcdef0123456789abcdef01234567\r\n"
            + "cookie: abc123\r\n"
            + "\r\n\r\n",
            Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void Encode_RepeatedInfohashNoCookieIPv6_GoldenBytes()
    {
        var bytes = new LsdMessage(51413, [s_a, s_b], null, LsdMessage.IPv6Host).Encode();

        Assert.Equal(
            "BT-SEARCH * HTTP/1.1\r\nHost: [ff15::efc0:988f]:6771\r\nPort: 51413\r\n"
            + "Infohash: 0123456789abcdef0123456789abcdef01234567\r\n"
            + "Infohash: fedcba9876543210fedcba9876543210fedcba98\r\n\r\n\r\n",
            Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void TryParse_Encoded_RoundTrips()
    {
        var original = new LsdMessage(6881, [s_a, s_b], "c00k1e", LsdMessage.IPv4Host);

        Assert.Equal(LsdParseResult.Success, LsdMessage.TryParse(original.Encode(), out var parsed));
        Assert.NotNull(parsed);
        Assert.Equal(original.Port, parsed.Port);
        Assert.Equal(original.InfoHashes, parsed.InfoHashes);
        Assert.Equal(original.Cookie, parsed.Cookie);
        Assert.Equal(original.Host, parsed.Host);
    }

    [Fact]
    public void TryParse_HeaderCaseOrderBareLfAndUppercaseHex_Accepted()
    {
        var text = "bt-search * http/1.1\n"
            + "INFOHASH: 0123456789ABCDEF0123456789ABCDEF01234567\n"
            + "X-Other: ignored\n"
            + "COOKIE:  xyz \n"
            + "port:6881\n"
            + "hOsT: 239.192.152.143:6771\n"
            + "\n";

        Assert.Equal(LsdParseResult.Success, LsdMessage.TryParse(Ascii(text), out var parsed));
        Assert.Equal(6881, parsed!.Port);
        Assert.Equal([s_a], parsed.InfoHashes);
        Assert.Equal("xyz", parsed.Cookie);
        Assert.Equal(LsdMessage.IPv4Host, parsed.Host);
    }

    [Fact]
    public void TryParse_NoHostNoCookie_Accepted()
    {
        Assert.Equal(LsdParseResult.Success, LsdMessage.TryParse(Ascii($"BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: {s_a.ToHex()}\r\n\r\n"), out var parsed));
        Assert.Equal(string.Empty, parsed!.Host);
        Assert.Null(parsed.Cookie);
    }

    [Fact]
    public void Pack_ManyInfoHashes_SplitsIntoMessagesUnder1400Bytes()
    {
        var hashes = Enumerable.Range(0, 100).Select(i =>
        {
            var bytes = new byte[InfoHash.Size];
            bytes[0] = (byte)i;
            return new InfoHash(bytes);
        }).ToList();

        var messages = LsdMessage.Pack(6881, hashes, "0123456789abcdef", LsdMessage.IPv6Host);

        Assert.True(messages.Count > 1);
        Assert.All(messages, m => Assert.InRange(m.Encode().Length, 1, LsdMessage.MaxDatagramSize));
        Assert.Equal(hashes, messages.SelectMany(m => m.InfoHashes));

        // As few as fit: one more hash would push a full message over the limit.
        var first = messages[0];
        var bigger = first with { InfoHashes = [.. first.InfoHashes, s_a] };
        Assert.Throws<InvalidOperationException>(() => bigger.Encode());
        foreach (var message in messages)
        {
            Assert.Equal(LsdParseResult.Success, LsdMessage.TryParse(message.Encode(), out var parsed));
            Assert.Equal(message.InfoHashes, parsed!.InfoHashes);
        }
    }

    [Fact]
    public void Pack_FewInfoHashes_OneMessage()
    {
        Assert.Single(LsdMessage.Pack(6881, [s_a, s_b, s_a], null, LsdMessage.IPv4Host));
    }

    [Fact]
    public void Encode_InvalidFields_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new LsdMessage(0, [s_a], null, LsdMessage.IPv4Host).Encode());
        Assert.Throws<InvalidOperationException>(() => new LsdMessage(6881, [], null, LsdMessage.IPv4Host).Encode());
        Assert.Throws<InvalidOperationException>(() => new LsdMessage(6881, [s_a], "a\r\nb", LsdMessage.IPv4Host).Encode());
        Assert.Throws<ArgumentException>(() => LsdMessage.Pack(6881, [s_a], null, LsdMessage.IPv4Host, maxDatagramSize: 60));
    }

    public static TheoryData<string, LsdParseResult> Refusals => new()
    {
        { "", LsdParseResult.BadRequestLine },
        { "GET / HTTP/1.1\r\nPort: 1\r\n\r\n", LsdParseResult.BadRequestLine },
        { "BT-SEARCH * HTTP/1.1", LsdParseResult.BadRequestLine },
        { "BT-SEARCH * HTTP/1.1\r\nPort 6881\r\n\r\n", LsdParseResult.MalformedHeader },
        { "BT-SEARCH * HTTP/1.1\r\n: 6881\r\n\r\n", LsdParseResult.MalformedHeader },
        { "BT-SEARCH * HTTP/1.1\r\nPo rt: 6881\r\n\r\n", LsdParseResult.MalformedHeader },
        { "BT-SEARCH * HTTP/1.1\r\nPort: 68\u000181\r\n\r\n", LsdParseResult.MalformedHeader },
        { "BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nPort: 2\r\n\r\n", LsdParseResult.DuplicateHeader },
        { "BT-SEARCH * HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", LsdParseResult.DuplicateHeader },
        { "BT-SEARCH * HTTP/1.1\r\ncookie: a\r\nCookie: b\r\n\r\n", LsdParseResult.DuplicateHeader },
        { "BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: 0123456789abcdef0123456789abcdef01234567\r\n", LsdParseResult.MissingTerminator },
        { "BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: 0123456789abcdef0123456789abcdef01234567\r\n\r\nextra", LsdParseResult.TrailingData },
        { "BT-SEARCH * HTTP/1.1\r\nInfohash: 0123456789abcdef0123456789abcdef01234567\r\n\r\n", LsdParseResult.MissingPort },
        { "BT-SEARCH * HTTP/1.1\r\nPort: 0\r\n\r\n", LsdParseResult.InvalidPort },
        { "BT-SEARCH * HTTP/1.1\r\nPort: 65536\r\n\r\n", LsdParseResult.InvalidPort },
        { "BT-SEARCH * HTTP/1.1\r\nPort: -1\r\n\r\n", LsdParseResult.InvalidPort },
        { "BT-SEARCH * HTTP/1.1\r\nPort: 0x1A\r\n\r\n", LsdParseResult.InvalidPort },
        { "BT-SEARCH * HTTP/1.1\r\nPort: \r\n\r\n", LsdParseResult.InvalidPort },
        { "BT-SEARCH * HTTP/1.1\r\nPort: 99999999999\r\n\r\n", LsdParseResult.InvalidPort },
        { "BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\n\r\n", LsdParseResult.MissingInfohash },
        { "BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: 0123456789abcdef0123456789abcdef0123456g\r\n\r\n", LsdParseResult.InvalidInfohash },
        { "BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: 0123456789abcdef\r\n\r\n", LsdParseResult.InvalidInfohash },
        // 32 base32 characters are an info-hash in a magnet link, not in BEP 14.
        { "BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: AERUKZ4JVPG66AJDIVTYTK6N54ASGRLH\r\n\r\n", LsdParseResult.InvalidInfohash },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void TryParse_Refusals(string text, LsdParseResult expected)
    {
        Assert.Equal(expected, LsdMessage.TryParse(Ascii(text), out var message));
        Assert.Null(message);
    }

    [Fact]
    public void TryParse_NonAscii_Refused()
    {
        var bytes = Ascii($"BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: {s_a.ToHex()}\r\ncookie: x\r\n\r\n");
        bytes[^5] = 0xE9;

        Assert.Equal(LsdParseResult.NotAscii, LsdMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void TryParse_Over1400Bytes_Refused()
    {
        var text = $"BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: {s_a.ToHex()}\r\nX-Pad: {new string('x', 1400)}\r\n\r\n";

        Assert.Equal(LsdParseResult.TooLarge, Parse(text));
    }

    [Fact]
    public void TryParse_Exactly1400Bytes_Accepted()
    {
        var head = $"BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: {s_a.ToHex()}\r\nX-Pad: ";
        var text = head + new string('x', 1400 - head.Length - 4) + "\r\n\r\n";

        Assert.Equal(1400, text.Length);
        Assert.Equal(LsdParseResult.Success, Parse(text));
    }

    [Fact]
    public void TryParse_RandomAndMutatedDatagrams_NeverThrow()
    {
        // Fixed seed: a failure reproduces. Counts only; no timing asserted.
        var random = new Random(14);
        var valid = new LsdMessage(6881, [s_a, s_b], "cookie1", LsdMessage.IPv4Host).Encode();
        var alphabet = Ascii("BT-SEARCH*HTTP/1.:\r\n Infohashcookie0123456789abcdefPort\t");
        var results = new Dictionary<LsdParseResult, int>();
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            switch (i % 4)
            {
                case 0:
                    input = new byte[random.Next(0, 1600)];
                    random.NextBytes(input);
                    break;
                case 1:
                    input = new byte[random.Next(0, 300)];
                    for (var j = 0; j < input.Length; j++)
                    {
                        input[j] = alphabet[random.Next(alphabet.Length)];
                    }

                    break;
                default:
                    input = [.. valid];
                    var flips = random.Next(1, 6);
                    for (var f = 0; f < flips; f++)
                    {
                        input[random.Next(input.Length)] = random.Next(3) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
                    }

                    if (random.Next(4) == 0)
                    {
                        input = input[..random.Next(input.Length)];
                    }

                    break;
            }

            var result = LsdMessage.TryParse(input, out var message);
            Assert.Equal(result == LsdParseResult.Success, message is not null);
            if (message is not null)
            {
                Assert.InRange(message.Port, 1, 65535);
                Assert.NotEmpty(message.InfoHashes);
            }

            results[result] = results.GetValueOrDefault(result) + 1;
        }

        Assert.True(results.GetValueOrDefault(LsdParseResult.Success) > 0, "some mutations keep the message valid");
        Assert.True(results.Count >= 6, $"the fuzz reaches several refusal reasons: {string.Join(", ", results)}");
    }
}
