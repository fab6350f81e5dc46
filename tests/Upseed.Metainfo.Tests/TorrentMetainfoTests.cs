using System.Security.Cryptography;
using System.Text;
using Upseed.Bencode;
using Xunit.Abstractions;

namespace Upseed.Metainfo.Tests;

public class TorrentMetainfoTests(ITestOutputHelper output)
{
    private const int PieceLength = SingleFileTorrent.RecordPieceLength;

    [Theory]
    [InlineData(1)]
    [InlineData(16384)] // exactly one piece
    [InlineData(16385)] // one byte into a second piece
    [InlineData(40000)]
    [InlineData(65536)]
    public void Parse_BuildTorrentFile_MatchesBuilder(int length)
    {
        var content = Content(length);

        var metainfo = TorrentMetainfo.Parse(SingleFileTorrent.BuildTorrentFile("post.upseed", content));

        Assert.Equal(SingleFileTorrent.ComputeInfoHash("post.upseed", content), metainfo.InfoHash);
        Assert.Equal(SingleFileTorrent.BuildInfo("post.upseed", content), metainfo.RawInfo.ToArray());
        Assert.Equal("post.upseed", metainfo.Name);
        Assert.Equal(PieceLength, metainfo.PieceLength);
        Assert.Equal(SingleFileTorrent.PieceCount(length, PieceLength), metainfo.PieceCount);
        Assert.Equal(length, metainfo.TotalLength);
        Assert.False(metainfo.IsMultiFile);
        Assert.True(metainfo.TryGetLength(out var singleLength));
        Assert.Equal(length, singleLength);
        Assert.Equal([new TorrentFileEntry(length, ["post.upseed"])], metainfo.Files);
        Assert.Empty(metainfo.Trackers);
    }

    [Fact]
    public void Parse_40000Bytes_HasThreePiecesEachTheSha1OfItsSlice()
    {
        var content = Content(40000);

        var metainfo = TorrentMetainfo.Parse(SingleFileTorrent.BuildTorrentFile("post.upseed", content));

        Assert.Equal(3, metainfo.PieceCount);
        Assert.Equal(60, metainfo.Pieces.Length);
        Assert.Equal(SHA1.HashData(content.AsSpan(0, 16384)), metainfo.GetPieceHash(0).ToArray());
        Assert.Equal(SHA1.HashData(content.AsSpan(16384, 16384)), metainfo.GetPieceHash(1).ToArray());
        Assert.Equal(SHA1.HashData(content.AsSpan(32768, 40000 - 32768)), metainfo.GetPieceHash(2).ToArray()); // short last piece
    }

    [Fact]
    public void GetPieceHash_OutOfRange_Throws()
    {
        var metainfo = TorrentMetainfo.Parse(SingleFileTorrent.BuildTorrentFile("post.upseed", Content(10)));

        Assert.Throws<ArgumentOutOfRangeException>(() => metainfo.GetPieceHash(1).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => metainfo.GetPieceHash(-1).Length);
    }

    [Fact]
    public void Parse_Utf8Name_DecodesIt()
    {
        var metainfo = TorrentMetainfo.Parse(SingleFileTorrent.BuildTorrentFile("post-héllo-wörld.upseed", Content(5)));

        Assert.Equal("post-héllo-wörld.upseed", metainfo.Name);
    }

    [Fact]
    public void Parse_Trackers_AnnounceFirstThenTiersEachOnce()
    {
        var torrent = new BDictionary()
            .Set("announce", "http://a.example/announce")
            .Set("announce-list", new BList(
                new BList(new BString("http://a.example/announce"), new BString("udp://b.example:80")),
                new BList(new BString("")),
                new BList(new BString("udp://c.example:80"))))
            .Set("info", SingleInfo())
            .Encode();

        var metainfo = TorrentMetainfo.Parse(torrent);

        Assert.Equal(["http://a.example/announce", "udp://b.example:80", "udp://c.example:80"], metainfo.Trackers);
    }

    [Fact]
    public void Parse_BuildTorrentFileWithTrackers_ReadsThemAndMakesMagnet()
    {
        var content = Content(100);
        var metainfo = TorrentMetainfo.Parse(
            SingleFileTorrent.BuildTorrentFile("p.upseed", content, ["http://t.example/announce", "udp://u.example:80"]));

        var magnet = metainfo.ToMagnetLink();

        Assert.Equal(["http://t.example/announce", "udp://u.example:80"], metainfo.Trackers);
        Assert.Equal(metainfo.InfoHash, magnet.InfoHash);
        Assert.Equal("p.upseed", magnet.DisplayName);
        Assert.Equal(metainfo.Trackers, magnet.Trackers);
    }

    [Fact]
    public void Parse_MultiFile_ReadsFilesInOrderAndTotal()
    {
        var info = MultiInfo((20000, ["a.txt"]), (0, ["empty.txt"]), (5, ["sub", "b.txt"]));

        var metainfo = TorrentMetainfo.Parse(Wrap(info));

        Assert.True(metainfo.IsMultiFile);
        Assert.False(metainfo.TryGetLength(out _));
        Assert.Equal("root", metainfo.Name);
        Assert.Equal(20005, metainfo.TotalLength);
        Assert.Equal(2, metainfo.PieceCount);
        Assert.Equal(
            [new TorrentFileEntry(20000, ["a.txt"]), new TorrentFileEntry(0, ["empty.txt"]), new TorrentFileEntry(5, ["sub", "b.txt"])],
            metainfo.Files);
        Assert.Equal("sub/b.txt", metainfo.Files[2].JoinedPath);
    }

    [Fact]
    public void Parse_UnknownKeys_AreIgnoredAndHashedAsFound()
    {
        var info = SingleInfo(("private", new BInteger(1)), ("source", new BString("elsewhere")));
        var torrent = new BDictionary()
            .Set("comment", "hello")
            .Set("creation date", 1700000000)
            .Set("info", info)
            .Set("nodes", new BList(new BList(new BString("127.0.0.1"), new BInteger(6881))))
            .Set("url-list", new BList(new BString("http://w.example/")))
            .Encode();

        var metainfo = TorrentMetainfo.Parse(torrent);

        // The info-hash covers the unknown keys too: it is over the info bytes exactly as found.
        Assert.Equal(new InfoHash(SHA1.HashData(info.Encode())), metainfo.InfoHash);
    }

    [Fact]
    public void Parse_CallerReusesBuffer_MetainfoKeepsItsOwnCopy()
    {
        var torrent = SingleFileTorrent.BuildTorrentFile("post.upseed", Content(100));
        var metainfo = TorrentMetainfo.Parse(torrent);
        var rawInfo = metainfo.RawInfo.ToArray();

        Array.Clear(torrent);

        Assert.Equal(rawInfo, metainfo.RawInfo.ToArray());
        Assert.Equal(new InfoHash(SHA1.HashData(rawInfo)), metainfo.InfoHash);
    }

    [Fact]
    public void Parse_OverCallerLimit_IsRefusedAsBencode()
    {
        var torrent = SingleFileTorrent.BuildTorrentFile("post.upseed", Content(100));

        var ex = Assert.Throws<InvalidDataException>(() => TorrentMetainfo.Parse(torrent, new BencodeOptions { MaxMessageSize = 64 }));
        Assert.Equal(BencodeError.MessageTooLarge, Assert.IsType<BencodeException>(ex.InnerException).Error);
    }

    [Fact]
    public void FromInfo_BuildInfo_SameHashAndNoTrackers()
    {
        var content = Content(40000);

        var metainfo = TorrentMetainfo.FromInfo(SingleFileTorrent.BuildInfo("post.upseed", content));

        Assert.Equal(SingleFileTorrent.ComputeInfoHash("post.upseed", content), metainfo.InfoHash);
        Assert.Equal(3, metainfo.PieceCount);
        Assert.Empty(metainfo.Trackers);
    }

    [Theory]
    [InlineData("d4:name1:ae")] // a dictionary, but not a usable one
    [InlineData("le")]
    [InlineData("")]
    public void FromInfo_NotAUsableInfoDictionary_Throws(string text)
    {
        Assert.Throws<InvalidDataException>(() => TorrentMetainfo.FromInfo(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void FromInfo_TrailingBytes_Throws()
    {
        byte[] info = [.. SingleFileTorrent.BuildInfo("post.upseed", Content(10)), (byte)'x'];

        var ex = Assert.Throws<InvalidDataException>(() => TorrentMetainfo.FromInfo(info));
        Assert.Equal(BencodeError.TrailingBytes, Assert.IsType<BencodeException>(ex.InnerException).Error);
    }

    public static TheoryData<string, byte[], BencodeError> BencodeRefusals()
    {
        var valid = SingleFileTorrent.BuildTorrentFile("post.upseed", Content(40000));
        var pieces20 = new string('a', 20);
        return new()
        {
            { "not bencode", "hello"u8.ToArray(), BencodeError.UnexpectedByte },
            { "truncated", valid[..^1], BencodeError.Truncated },
            { "trailing bytes", [.. valid, (byte)'x'], BencodeError.TrailingBytes },
            { "unsorted keys", Ascii($"d4:infod4:name1:a6:lengthi1e12:piece lengthi16384e6:pieces20:{pieces20}ee"), BencodeError.UnsortedKeys },
            { "duplicate key", Ascii($"d4:infod6:lengthi1e6:lengthi1e4:name1:a12:piece lengthi16384e6:pieces20:{pieces20}ee"), BencodeError.DuplicateKey },
            { "leading zero", Ascii($"d4:infod6:lengthi1e4:name1:a12:piece lengthi016384e6:pieces20:{pieces20}ee"), BencodeError.LeadingZero },
            { "negative zero", Ascii($"d4:infod6:lengthi-0e4:name1:a12:piece lengthi16384e6:pieces20:{pieces20}ee"), BencodeError.NegativeZero },
        };
    }

    [Theory]
    [MemberData(nameof(BencodeRefusals))]
    public void Parse_NotCanonicalBencode_ThrowsInvalidDataExceptionWithBencodeReason(string @case, byte[] torrent, BencodeError error)
    {
        var ex = Assert.Throws<InvalidDataException>(() => TorrentMetainfo.Parse(torrent));

        Assert.Contains("not valid canonical bencode", ex.Message, StringComparison.Ordinal);
        var inner = Assert.IsType<BencodeException>(ex.InnerException);
        Assert.True(error == inner.Error, $"{@case}: expected {error}, got {inner.Error}");
    }

    public static TheoryData<string, byte[], string> Refusals()
    {
        return new()
        {
            { "top level list", Ascii("le"), "top level is not a dictionary" },
            { "no info", Ascii("d8:announce3:urle"), "no 'info'" },
            { "info not a dictionary", Ascii("d4:infoi1ee"), "'info' is not a dictionary" },
            { "name missing", Wrap(SingleInfo(("name", null))), "no 'name'" },
            { "name not a string", Wrap(SingleInfo(("name", new BInteger(1)))), "'name' is not a byte string" },
            { "name empty", Wrap(SingleInfo(("name", new BString("")))), "'name' is empty" },
            { "name dot", Wrap(SingleInfo(("name", new BString(".")))), "'name' is \".\"" },
            { "name dot dot", Wrap(SingleInfo(("name", new BString("..")))), "'name' is \"..\"" },
            { "name with slash", Wrap(SingleInfo(("name", new BString("a/b")))), "'name' contains '/'" },
            { "name not UTF-8", Wrap(SingleInfo(("name", new BString(new byte[] { 0x61, 0xFF })))), "'name' is not valid UTF-8" },
            { "piece length missing", Wrap(SingleInfo(("piece length", null))), "no 'piece length'" },
            { "piece length zero", Wrap(SingleInfo(("piece length", new BInteger(0)))), "not a positive power of two" },
            { "piece length negative", Wrap(SingleInfo(("piece length", new BInteger(-16384)))), "not a positive power of two" },
            { "piece length not power of two", Wrap(SingleInfo(("piece length", new BInteger(12288)))), "not a positive power of two" },
            { "piece length 2^31", Wrap(SingleInfo(("piece length", new BInteger(1L << 31)))), "is over 1073741824" },
            { "pieces missing", Wrap(SingleInfo(("pieces", null))), "no 'pieces'" },
            { "pieces 59 bytes", Wrap(SingleInfo(("pieces", new BString(new byte[59])))), "not a multiple of 20" },
            { "pieces 61 bytes", Wrap(SingleInfo(("pieces", new BString(new byte[61])))), "not a multiple of 20" },
            { "too few pieces", Wrap(SingleInfo(("pieces", new BString(new byte[40])))), "holds 2 hashes, but 40000 bytes in pieces of 16384 make 3" },
            { "too many pieces", Wrap(SingleInfo(("pieces", new BString(new byte[80])))), "holds 4 hashes" },
            { "both length and files", Wrap(SingleInfo(("files", FilesList((40000, ["a"]))))), "both 'length' and 'files'" },
            { "neither length nor files", Wrap(SingleInfo(("length", null))), "neither 'length'" },
            { "negative length", Wrap(SingleInfo(("length", new BInteger(-1)))), "'length' is negative" },
            { "length not integer", Wrap(SingleInfo(("length", new BString("40000")))), "'length' is not an integer" },
            { "zero length", Wrap(SingleInfo(("length", new BInteger(0)), ("pieces", new BString("")))), "total length is 0" },
            { "files not a list", Wrap(MultiInfo(("files", new BInteger(1)))), "'files' is not a list" },
            { "files empty", Wrap(MultiInfo(("files", new BList()))), "'files' is an empty list" },
            { "file not a dictionary", Wrap(MultiInfo(("files", new BList(new BInteger(1))))), "files[0] is not a dictionary" },
            { "file negative length", Wrap(MultiInfo((10, ["a"]), (-1, ["b"]))), "files[1] 'length' is negative" },
            { "file length missing", Wrap(MultiInfo(("files", new BList(new BDictionary().Set("path", new BList(new BString("a"))))))), "files[0] has no 'length'" },
            { "file path missing", Wrap(MultiInfo(("files", new BList(new BDictionary().Set("length", 1))))), "files[0] has no 'path'" },
            { "file path not a list", Wrap(MultiInfo(("files", new BList(new BDictionary().Set("length", 1).Set("path", "a"))))), "'path' is not a list" },
            { "file path empty", Wrap(MultiInfo((10, []))), "files[0] 'path' is an empty list" },
            { "path element empty", Wrap(MultiInfo((10, ["dir", ""]))), "files[0] path[1] is empty" },
            { "path element dot", Wrap(MultiInfo((10, ["."]))), "files[0] path[0] is \".\"" },
            { "path element dot dot", Wrap(MultiInfo((10, ["..", "etc", "passwd"]))), "files[0] path[0] is \"..\"" },
            { "path element with slash", Wrap(MultiInfo((1, ["a"]), (10, ["x/y"]))), "files[1] path[0] contains '/'" },
            { "path element not a string", Wrap(MultiInfo(("files", FilesList(new BList(new BInteger(1)))))), "path[0] is not a byte string" },
            { "path element not UTF-8", Wrap(MultiInfo(("files", FilesList(new BList(new BString(new byte[] { 0xC3 })))))), "path[0] is not valid UTF-8" },
            { "lengths overflow", Wrap(MultiInfo((long.MaxValue, ["a"]), (1, ["b"]))), "more than 2^63 - 1" },
            { "announce not a string", WrapWith(("announce", new BInteger(1))), "'announce' is not a byte string" },
            { "announce-list not a list", WrapWith(("announce-list", new BString("x"))), "'announce-list' is not a list" },
            { "announce-list tier not a list", WrapWith(("announce-list", new BList(new BString("x")))), "tier 0 is not a list" },
        };
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Parse_Invalid_ThrowsInvalidDataExceptionSayingWhy(string @case, byte[] torrent, string reason)
    {
        var ex = Assert.Throws<InvalidDataException>(() => TorrentMetainfo.Parse(torrent));

        Assert.StartsWith("Invalid torrent: ", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Contains(reason, StringComparison.Ordinal), $"{@case}: expected \"{reason}\" in \"{ex.Message}\"");
    }

    [Fact]
    public void Parse_RandomMutationsOfValidTorrents_OnlySucceedOrThrowInvalidData()
    {
        // Fixed seed so a failure reproduces; prints the offending bytes so they can become a named regression test.
        var random = new Random(20_260_101);
        byte[][] seeds =
        [
            SingleFileTorrent.BuildTorrentFile("post-héllo.upseed", Content(40000), ["http://t.example/announce", "udp://u.example:80"]),
            Wrap(MultiInfo((20000, ["a.txt"]), (0, ["empty.txt"]), (5, ["sub", "b.txt"]))),
        ];
        ReadOnlySpan<byte> structural = "deli0123456789:-"u8;
        int accepted = 0, refused = 0;
        for (var iteration = 0; iteration < 30_000; iteration++)
        {
            var bytes = new List<byte>(seeds[iteration % seeds.Length]);
            var mutations = random.Next(1, 4);
            for (var m = 0; m < mutations && bytes.Count > 0; m++)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(5))
                {
                    case 0:
                        bytes[at] = (byte)random.Next(256);
                        break;
                    case 1:
                        bytes[at] = structural[random.Next(structural.Length)];
                        break;
                    case 2:
                        bytes.RemoveRange(at, Math.Min(random.Next(1, 8), bytes.Count - at));
                        break;
                    case 3:
                        bytes.Insert(at, structural[random.Next(structural.Length)]);
                        break;
                    default:
                        bytes.RemoveRange(at, bytes.Count - at);
                        break;
                }
            }

            var input = bytes.ToArray();
            try
            {
                var metainfo = TorrentMetainfo.Parse(input);
                accepted++;
                Assert.Equal(new InfoHash(SHA1.HashData(metainfo.RawInfo.Span)), metainfo.InfoHash);
                Assert.Equal(((metainfo.TotalLength - 1) / metainfo.PieceLength) + 1, metainfo.PieceCount);
            }
            catch (InvalidDataException)
            {
                refused++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{ex.GetType().Name} instead of InvalidDataException for input {Convert.ToHexString(input)}: {ex}");
            }
        }

        output.WriteLine($"{accepted} mutants parsed, {refused} refused");

        // Both outcomes must occur, or the mutations are not reaching the interesting paths.
        Assert.True(accepted > 100, $"only {accepted} mutants parsed");
        Assert.True(refused > 100, $"only {refused} mutants were refused");
    }

    private static byte[] Content(int length)
    {
        var content = new byte[length];
        for (var i = 0; i < length; i++)
        {
            content[i] = (byte)((i * 31) ^ (i >> 8));
        }

        return content;
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Wrap(BDictionary info) => new BDictionary().Set("info", info).Encode();

    private static byte[] WrapWith((string Key, BValue Value) extra) =>
        new BDictionary().Set(extra.Key, extra.Value).Set("info", SingleInfo()).Encode();

    // A valid single-file info dictionary (40,000 bytes, 3 pieces); each change replaces a key, or removes it when null.
    private static BDictionary SingleInfo(params (string Key, BValue? Value)[] changes) =>
        Build(
            new()
            {
                ["length"] = new BInteger(40000),
                ["name"] = new BString("post.upseed"),
                ["piece length"] = new BInteger(PieceLength),
                ["pieces"] = new BString(new byte[60]),
            },
            changes);

    private static BDictionary MultiInfo(params (long Length, string[] Path)[] files) =>
        MultiInfo(("files", FilesList(files)), ("pieces", new BString(new byte[20 * PieceCount(files.Sum(f => (decimal)f.Length))])));

    // A valid multi-file info dictionary named "root" (one 10-byte file); changes as in SingleInfo.
    private static BDictionary MultiInfo(params (string Key, BValue? Value)[] changes) =>
        Build(
            new()
            {
                ["files"] = FilesList((10, ["a"])),
                ["name"] = new BString("root"),
                ["piece length"] = new BInteger(PieceLength),
                ["pieces"] = new BString(new byte[20]),
            },
            changes);

    // Piece count for a total that may overflow long (the overflow case still needs some pieces string).
    private static int PieceCount(decimal total) => total <= 0 ? 0 : (int)Math.Min(4, Math.Ceiling(total / PieceLength));

    private static BList FilesList(params (long Length, string[] Path)[] files) =>
        new(files.Select(f => (BValue)new BDictionary()
            .Set("length", f.Length)
            .Set("path", new BList(f.Path.Select(p => (BValue)new BString(p)).ToArray()))).ToArray());

    private static BList FilesList(BList path) => new(new BDictionary().Set("length", 1).Set("path", path));

    private static BDictionary Build(Dictionary<string, BValue> entries, (string Key, BValue? Value)[] changes)
    {
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                entries.Remove(key);
            }
            else
            {
                entries[key] = value;
            }
        }

        var dictionary = new BDictionary();
        foreach (var (key, value) in entries)
        {
            dictionary.Set(key, value);
        }

        return dictionary;
    }
}
