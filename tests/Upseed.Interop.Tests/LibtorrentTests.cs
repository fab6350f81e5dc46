using System.Text.Json;
using Upseed.Metainfo;

namespace Upseed.Interop.Tests;

[Trait("Category", "Interop")]
public class LibtorrentTests
{
    private static readonly string[] s_trackers = ["http://tracker.example/announce", "udp://tracker.example:6969/announce"];

    [Theory]
    [MemberData(nameof(InteropContent.Cases), MemberType = typeof(InteropContent))]
    public async Task TorrentInfo_BuildTorrentFile_ReadsWhatWeWroteAsync(string name, int length)
    {
        using var temp = new TempDirectory(nameof(TorrentInfo_BuildTorrentFile_ReadsWhatWeWroteAsync));
        var content = InteropContent.Bytes(length);
        var torrent = SingleFileTorrent.BuildTorrentFile(name, content);
        var ours = TorrentMetainfo.Parse(torrent);

        var lt = await Libtorrent.ShowTorrentAsync(temp.WriteFile("post.torrent", torrent));

        AssertNoError(lt);
        var hex = SingleFileTorrent.ComputeInfoHash(name, content).ToHex();
        Assert.Equal(hex, lt.GetProperty("info_hash").GetString());
        Assert.Equal(hex, lt.GetProperty("info_hash_v1").GetString());
        Assert.False(lt.GetProperty("has_v2").GetBoolean());
        Assert.Equal(name, lt.GetProperty("name").GetString());
        Assert.Equal(ours.PieceCount, lt.GetProperty("num_pieces").GetInt32());
        Assert.Equal(SingleFileTorrent.RecordPieceLength, lt.GetProperty("piece_length").GetInt32());
        Assert.Equal(length, lt.GetProperty("total_size").GetInt64());
        var file = Assert.Single(lt.GetProperty("files").EnumerateArray());
        Assert.Equal(length, file.GetProperty("size").GetInt64());
        Assert.Equal(name, file.GetProperty("path").GetString());
        Assert.Equal(
            Enumerable.Range(0, ours.PieceCount).Select(i => Convert.ToHexStringLower(ours.GetPieceHash(i))),
            lt.GetProperty("piece_hashes").EnumerateArray().Select(h => h.GetString()));
    }

    [Fact]
    public async Task MakeMagnetUri_OurTorrentWithTrackers_ParsesToOurMagnetLinkAsync()
    {
        using var temp = new TempDirectory(nameof(MakeMagnetUri_OurTorrentWithTrackers_ParsesToOurMagnetLinkAsync));
        var torrent = SingleFileTorrent.BuildTorrentFile("post-héllo wörld.upseed", InteropContent.Bytes(100), s_trackers);

        var lt = await Libtorrent.ShowTorrentAsync(temp.WriteFile("post.torrent", torrent));

        AssertNoError(lt);
        Assert.Equal(s_trackers, lt.GetProperty("trackers").EnumerateArray().Select(t => t.GetString()));
        var fromLibtorrent = MagnetLink.Parse(lt.GetProperty("magnet").GetString()!);
        Assert.Equal(TorrentMetainfo.Parse(torrent).ToMagnetLink(), fromLibtorrent);
    }

    [Theory]
    [InlineData("post-héllo-wörld.upseed")]
    [InlineData("a name with spaces & ampersands + plus = equals %25.upseed")] // every character a query gives meaning to
    public async Task ParseMagnetUri_OurMagnetLink_SameHashNameTrackersAndPeersAsync(string name)
    {
        var hash = SingleFileTorrent.ComputeInfoHash(name, InteropContent.Bytes(40000));
        string[] peers = ["127.0.0.1:6881", "[::1]:6882"];
        var link = new MagnetLink(hash, name, s_trackers, peers);

        var lt = await Libtorrent.ParseMagnetAsync(link.ToString());

        Assert.Equal(hash.ToHex(), lt.GetProperty("info_hash").GetString());
        Assert.Equal(name, lt.GetProperty("name").GetString());
        Assert.Equal(s_trackers, lt.GetProperty("trackers").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(peers, lt.GetProperty("peers").EnumerateArray().Select(p => p.GetString()));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("hybrid")] // v1 + v2 in one info dict: 'file tree', pad files, 'meta version'
    public async Task CreateTorrent_LibtorrentMultiFile_ParsesToTheSameTorrentAsync(string kind)
    {
        using var temp = new TempDirectory(nameof(CreateTorrent_LibtorrentMultiFile_ParsesToTheSameTorrentAsync));
        var folder = Path.Combine(temp.Path, "board");
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        await File.WriteAllBytesAsync(Path.Combine(folder, "a.txt"), InteropContent.Bytes(20000));
        await File.WriteAllBytesAsync(Path.Combine(folder, "empty.txt"), []);
        await File.WriteAllBytesAsync(Path.Combine(folder, "sub", "wörld.txt"), InteropContent.Bytes(5));
        var torrentPath = Path.Combine(temp.Path, "board.torrent");

        AssertNoError(await Libtorrent.CreateTorrentAsync(folder, torrentPath, kind));
        var lt = await Libtorrent.ShowTorrentAsync(torrentPath);
        var ours = TorrentMetainfo.Parse(await File.ReadAllBytesAsync(torrentPath));

        AssertNoError(lt);
        Assert.Equal(lt.GetProperty("info_hash_v1").GetString(), ours.InfoHash.ToHex());
        Assert.Equal("board", ours.Name);
        Assert.True(ours.IsMultiFile);
        Assert.Equal(lt.GetProperty("num_pieces").GetInt32(), ours.PieceCount);
        Assert.Equal(lt.GetProperty("total_size").GetInt64(), ours.TotalLength);
        Assert.Equal(
            lt.GetProperty("files").EnumerateArray().Select(f => (f.GetProperty("path").GetString(), f.GetProperty("size").GetInt64())),
            ours.Files.Select(f => ((string?)$"{ours.Name}/{f.JoinedPath}", f.Length)));
        Assert.Equal(
            lt.GetProperty("piece_hashes").EnumerateArray().Select(h => h.GetString()),
            Enumerable.Range(0, ours.PieceCount).Select(i => Convert.ToHexStringLower(ours.GetPieceHash(i))));
    }

    [Fact]
    public async Task TorrentInfo_ZeroLengthTorrent_IsRefusedAsWeRefuseItAsync()
    {
        // Why SingleFileTorrent and TorrentMetainfo refuse empty content: a real client will not load it.
        using var temp = new TempDirectory(nameof(TorrentInfo_ZeroLengthTorrent_IsRefusedAsWeRefuseItAsync));
        var torrent = InteropContent.ZeroLengthTorrent();

        var lt = await Libtorrent.ShowTorrentAsync(temp.WriteFile("empty.torrent", torrent));

        Assert.True(lt.TryGetProperty("error", out var error), $"libtorrent accepted a 0-byte torrent: {lt}");
        Assert.Contains("invalid length", error.GetString(), StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => TorrentMetainfo.Parse(torrent));
    }

    private static void AssertNoError(JsonElement result) =>
        Assert.False(result.TryGetProperty("error", out var error), $"libtorrent refused the torrent: {error}");
}
