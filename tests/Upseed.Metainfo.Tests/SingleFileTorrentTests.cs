using System.Security.Cryptography;
using System.Text;

namespace Upseed.Metainfo.Tests;

public class SingleFileTorrentTests
{
    [Fact]
    public void BuildInfo_SmallFile_IsCanonicalBep3Layout()
    {
        var info = SingleFileTorrent.BuildInfo("a.txt", "hello"u8);

        // BEP 3 info keys in raw-byte order: length, name, piece length, pieces (one SHA-1 for one piece).
        byte[] expected =
        [
            .. "d6:lengthi5e4:name5:a.txt12:piece lengthi16384e6:pieces20:"u8,
            .. SHA1.HashData("hello"u8),
            .. "e"u8,
        ];
        Assert.Equal(expected, info);
        Assert.Equal(new InfoHash(SHA1.HashData(expected)), SingleFileTorrent.ComputeInfoHash("a.txt", "hello"u8));
    }

    [Fact]
    public void BuildInfo_EmptyContent_Throws()
    {
        // Regression: 0-byte torrents were built, and libtorrent and Transmission refuse them (see Interop tests).
        var ex = Assert.Throws<ArgumentException>(() => SingleFileTorrent.BuildInfo("empty", []));
        Assert.Equal("content", ex.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("dir/file")]
    [InlineData("nul\0byte")]
    public void BuildInfo_NameThatIsNoFileName_Throws(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => SingleFileTorrent.BuildInfo(name, "x"u8));
        Assert.Equal("name", ex.ParamName);
    }

    [Fact]
    public void BuildInfo_LoneSurrogateInName_ThrowsInsteadOfWritingReplacementCharacter()
    {
        Assert.ThrowsAny<ArgumentException>(() => SingleFileTorrent.BuildInfo("bad\udc00", "x"u8));
    }

    [Theory]
    [InlineData(0)] // regression: divided by zero before the check
    [InlineData(-16384)]
    [InlineData(12288)]
    public void BuildInfo_PieceLengthNotPowerOfTwo_ThrowsArgumentOutOfRange(int pieceLength)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SingleFileTorrent.BuildInfo("x", "x"u8, pieceLength));
    }

    [Fact]
    public void BuildTorrentFile_WithTrackers_WritesAnnounceAndOneTierEach()
    {
        var torrent = SingleFileTorrent.BuildTorrentFile("a.txt", "hello"u8, ["http://a/announce", "udp://b:80"]);
        var text = Encoding.Latin1.GetString(torrent);

        Assert.StartsWith("d8:announce17:http://a/announce13:announce-listll17:http://a/announceel10:udp://b:80ee10:created by6:Upseed4:infod", text);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(16384, 1)]
    [InlineData(16385, 2)]
    [InlineData(40000, 3)]
    public void PieceCount_RoundsUp(int length, int expected)
    {
        Assert.Equal(expected, SingleFileTorrent.PieceCount(length, SingleFileTorrent.RecordPieceLength));
    }
}
