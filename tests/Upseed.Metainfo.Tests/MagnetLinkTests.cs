using FsCheck;
using FsCheck.Fluent;

namespace Upseed.Metainfo.Tests;

public class MagnetLinkTests
{
    private const string Hex = "00ff78cd879090ce9770dfacb03b67613027a815";
    private static readonly InfoHash s_hash = InfoHash.Parse(Hex);

    [Fact]
    public void Parse_TransmissionShowOutput_ReadsHashAndNameAndFormatsIdentically()
    {
        // `transmission-show -m` (Transmission 3.00) for a 40,000-byte file named "post-héllo-wörld.upseed".
        const string fromTransmission = "magnet:?xt=urn:btih:00ff78cd879090ce9770dfacb03b67613027a815&dn=post-h%C3%A9llo-w%C3%B6rld.upseed";

        var link = MagnetLink.Parse(fromTransmission);

        Assert.Equal(s_hash, link.InfoHash);
        Assert.Equal("post-héllo-wörld.upseed", link.DisplayName);
        Assert.Empty(link.Trackers);
        Assert.Empty(link.Peers);
        Assert.Equal(fromTransmission, link.ToString());
    }

    [Fact]
    public void Parse_LibtorrentOutputWithLowercaseEscapes_ReadsTrackersInOrder()
    {
        // lt.make_magnet_uri (libtorrent 2.0.8) writes %-escapes in lowercase.
        const string fromLibtorrent = "magnet:?xt=urn:btih:9971ad1225ef8cd6bfb38430d78ead5116d362fc&dn=abc"
            + "&tr=http%3a%2f%2ft.example%2fannounce&tr=udp%3a%2f%2fu.example%3a80";

        var link = MagnetLink.Parse(fromLibtorrent);

        Assert.Equal("abc", link.DisplayName);
        Assert.Equal(["http://t.example/announce", "udp://u.example:80"], link.Trackers);
        Assert.Equal(
            "magnet:?xt=urn:btih:9971ad1225ef8cd6bfb38430d78ead5116d362fc&dn=abc&tr=http%3A%2F%2Ft.example%2Fannounce&tr=udp%3A%2F%2Fu.example%3A80",
            link.ToString());
    }

    [Fact]
    public void ToString_AllParts_WritesCanonicalOrderAndEscapes()
    {
        var link = new MagnetLink(
            s_hash,
            "a b&c+d%é",
            ["http://t.example/announce?x=1&y=2"],
            ["127.0.0.1:6881", "[::1]:6881", "peer.example:51413"]);

        Assert.Equal(
            $"magnet:?xt=urn:btih:{Hex}&dn=a%20b%26c%2Bd%25%C3%A9&tr=http%3A%2F%2Ft.example%2Fannounce%3Fx%3D1%26y%3D2"
            + "&x.pe=127.0.0.1:6881&x.pe=[::1]:6881&x.pe=peer.example:51413",
            link.ToString());
    }

    [Fact]
    public void Parse_ToStringOfAnyLink_RoundTrips()
    {
        // Characters that need escaping in a query, plus the BMP outside the surrogate range and one astral character.
        var special = Gen.Elements('&', '=', '+', '%', ' ', '#', '?', '/', ':', 'é', '\n', '\u00a0');
        var plain = Gen.Choose(0x20, 0xD7FF).Select(i => (char)i);
        var chars = Gen.Frequency((3, plain), (2, special));
        var text = Gen.ArrayOf(chars).Select(a => new string(a));
        var astral = Gen.Elements("", "\U0001F600");
        var links =
            from name in text
            from emoji in astral
            from trackers in Gen.ListOf(text.Where(t => t.Length > 0), 3)
            select new MagnetLink(s_hash, name + emoji, trackers, ["10.0.0.1:6881"]);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(links.ToArbitrary(), link =>
        {
            var parsed = MagnetLink.Parse(link.ToString());
            return parsed.Equals(link)
                && parsed.DisplayName == link.DisplayName
                && parsed.Trackers.SequenceEqual(link.Trackers)
                && parsed.Peers.SequenceEqual(link.Peers);
        }));
    }

    [Theory]
    [InlineData("VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5")]
    [InlineData("vgmt4nsha2awvor6evyxqugcnsonbwe5")]
    public void Parse_Base32InfoHash_WritesLowercaseHex(string base32)
    {
        var link = MagnetLink.Parse("magnet:?xt=urn:btih:" + base32);

        // Base32 of SHA-1("abc"), see InfoHashTests.
        Assert.Equal("magnet:?xt=urn:btih:a9993e364706816aba3e25717850c26c9cd0d89d", link.ToString());
    }

    [Fact]
    public void Parse_UppercaseHexAndSchemeAndUrn_Accepted()
    {
        var link = MagnetLink.Parse("MAGNET:?xt=URN:BTIH:" + Hex.ToUpperInvariant());

        Assert.Equal(s_hash, link.InfoHash);
    }

    [Fact]
    public void Parse_UnknownAndValuelessParameters_AreIgnored()
    {
        var link = MagnetLink.Parse(
            $"magnet:?xl=40000&xt=urn:btih:{Hex}&ws=http%3A%2F%2Fw.example%2F&so=0,2,4-6&tr.1=ignored&&novalue&kt=a+b&dn=n");

        Assert.Equal(new MagnetLink(s_hash, "n"), link);
    }

    [Fact]
    public void Parse_HybridLinkWithBtmh_ReadsTheV1Hash()
    {
        var link = MagnetLink.Parse(
            $"magnet:?xt=urn:btmh:1220{new string('a', 64)}&xt=urn:btih:{Hex}&xt=urn:btih:{Hex.ToUpperInvariant()}");

        Assert.Equal(s_hash, link.InfoHash);
    }

    [Fact]
    public void Parse_PlusInName_DecodesToSpaceAsLibtorrentDoes()
    {
        Assert.Equal("a b c", MagnetLink.Parse($"magnet:?xt=urn:btih:{Hex}&dn=a+b%20c").DisplayName);
    }

    [Fact]
    public void Parse_EmptyOrRepeatedName_KeepsFirstNonEmpty()
    {
        Assert.Null(MagnetLink.Parse($"magnet:?xt=urn:btih:{Hex}&dn=").DisplayName);
        Assert.Equal("first", MagnetLink.Parse($"magnet:?xt=urn:btih:{Hex}&dn=first&dn=second").DisplayName);
    }

    [Fact]
    public void Parse_RepeatedTrackersAndPeers_KeepsEachOnceInOrder()
    {
        var link = MagnetLink.Parse(
            $"magnet:?xt=urn:btih:{Hex}&tr=udp%3A%2F%2Fb&tr=udp%3A%2F%2Fa&tr=udp%3A%2F%2Fb&tr=&x.pe=1.2.3.4:1&x.pe=1.2.3.4:1");

        Assert.Equal(["udp://b", "udp://a"], link.Trackers);
        Assert.Equal(["1.2.3.4:1"], link.Peers);
    }

    [Fact]
    public void Parse_Peers_KeepsValidAndDropsMalformed()
    {
        var link = MagnetLink.Parse(
            $"magnet:?xt=urn:btih:{Hex}"
            + "&x.pe=127.0.0.1:6881" // IPv4
            + "&x.pe=127.0.0.2%3A6882" // escaped ':' decodes
            + "&x.pe=[2001:db8::1]:51413" // IPv6
            + "&x.pe=host-1.example:7000" // hostname
            + "&x.pe=127.0.0.1" // no port
            + "&x.pe=127.0.0.1:0" // port 0
            + "&x.pe=127.0.0.1:65536" // port out of range
            + "&x.pe=[nonsense]:1" // bracketed but not IPv6
            + "&x.pe=bad_host:1" // '_' is not a hostname character
            + "&x.pe=:6881"); // no host

        Assert.Equal(["127.0.0.1:6881", "127.0.0.2:6882", "[2001:db8::1]:51413", "host-1.example:7000"], link.Peers);
    }

    [Theory]
    [InlineData("http://example.com/?xt=urn:btih:" + Hex, "does not start with \"magnet:?\"")]
    [InlineData("magnet:?dn=name&tr=udp%3A%2F%2Ft", "no xt=urn:btih:")]
    [InlineData("magnet:?xt=urn:sha1:XRX2PEFXOOEJFRVUCX6HMZMKS5TWG4K5", "no xt=urn:btih:")] // a Gnutella link
    [InlineData("magnet:?xt=urn:btih:", "does not hold an info-hash")]
    [InlineData("magnet:?xt=urn:btih:00ff78cd879090ce9770dfacb03b67613027a81", "does not hold an info-hash")] // 39 hex
    [InlineData("magnet:?xt=urn:btih:00ff78cd879090ce9770dfacb03b67613027a8zz", "does not hold an info-hash")] // not hex
    [InlineData("magnet:?xt=urn:btih:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE1", "does not hold an info-hash")] // '1' is not base32
    [InlineData("magnet:?xt=urn:btmh:1220aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "only a v2 info-hash")]
    [InlineData("magnet:?xt=urn:btih:" + Hex + "&xt=urn:btih:a9993e364706816aba3e25717850c26c9cd0d89d", "two different")]
    [InlineData("magnet:?xt=urn:btih:" + Hex + "&dn=%ZZ", "malformed %-escape")]
    [InlineData("magnet:?xt=urn:btih:" + Hex + "&dn=abc%4", "malformed %-escape")] // escape cut short
    [InlineData("magnet:?xt=urn:btih:" + Hex + "&dn=%C3", "not UTF-8")] // half a two-byte sequence
    [InlineData("magnet:?xt=urn:btih:" + Hex + "&tr=%FF", "not UTF-8")]
    public void TryParse_Refused_GivesReason(string text, string reason)
    {
        Assert.False(MagnetLink.TryParse(text, out var link, out var error));
        Assert.Null(link);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Null_IsRefused()
    {
        Assert.False(MagnetLink.TryParse(null, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void TryParse_LengthLimit_AcceptsExactly8KiBAndRefusesOneMore()
    {
        var head = $"magnet:?xt=urn:btih:{Hex}&dn=";
        var atLimit = head + new string('a', MagnetLink.MaxLength - head.Length);
        var overLimit = atLimit + "a";

        Assert.True(MagnetLink.TryParse(atLimit, out _, out _));
        Assert.False(MagnetLink.TryParse(overLimit, out _, out var error));
        Assert.Contains("the limit is 8192", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RawNonAsciiThatWouldEscapeOverTheLimit_IsRefused()
    {
        // 3,000 raw 'é' fit in 8 KiB as typed, but written canonically each becomes %C3%A9.
        var text = $"magnet:?xt=urn:btih:{Hex}&dn=" + new string('é', 3000);

        Assert.False(MagnetLink.TryParse(text, out _, out var error));
        Assert.Contains("canonically", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Refused_ThrowsFormatExceptionWithReason()
    {
        var ex = Assert.Throws<FormatException>(() => MagnetLink.Parse("magnet:?dn=x"));
        Assert.Contains("no xt=urn:btih:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")] // no port
    [InlineData("a b:1")] // space in host
    [InlineData("1.2.3.4:1&dn=x")] // would smuggle a parameter into the link
    public void Constructor_MalformedPeer_Throws(string peer)
    {
        Assert.Throws<ArgumentException>(() => new MagnetLink(s_hash, peers: [peer]));
    }

    [Fact]
    public void Constructor_LoneSurrogateInName_Throws()
    {
        Assert.ThrowsAny<ArgumentException>(() => new MagnetLink(s_hash, "bad\ud800name"));
    }

    [Fact]
    public void Constructor_LinkOverLimit_Throws()
    {
        var trackers = Enumerable.Range(0, 200).Select(i => $"http://tracker{i}.example/announce");

        var ex = Assert.Throws<ArgumentException>(() => new MagnetLink(s_hash, "x", trackers));
        Assert.Contains("8192", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equals_SameParts_EqualAndDifferentName_NotEqual()
    {
        var a = new MagnetLink(s_hash, "n", ["udp://t"]);
        var b = new MagnetLink(s_hash, "n", ["udp://t", "udp://t"]);
        var c = new MagnetLink(s_hash, "m", ["udp://t"]);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
    }
}
