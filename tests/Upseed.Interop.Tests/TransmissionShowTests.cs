using Upseed.Metainfo;

namespace Upseed.Interop.Tests;

[Trait("Category", "Interop")]
public class TransmissionShowTests
{
    private static readonly string[] s_trackers = ["http://tracker.example/announce", "udp://tracker.example:6969/announce"];

    [Theory]
    [MemberData(nameof(InteropContent.Cases), MemberType = typeof(InteropContent))]
    public async Task Show_BuildTorrentFile_ReportsOurInfoHashNameAndPiecesAsync(string name, int length)
    {
        using var temp = new TempDirectory(nameof(Show_BuildTorrentFile_ReportsOurInfoHashNameAndPiecesAsync));
        var content = InteropContent.Bytes(length);
        var path = temp.WriteFile("post.torrent", SingleFileTorrent.BuildTorrentFile(name, content));

        var report = await TransmissionShow.ShowAsync(path);

        Assert.Equal(SingleFileTorrent.ComputeInfoHash(name, content).ToHex(), report.InfoHashHex.ToLowerInvariant());
        Assert.Equal(name, report.Name);
        Assert.Equal(SingleFileTorrent.PieceCount(length, SingleFileTorrent.RecordPieceLength), report.PieceCount);
        Assert.Equal(SingleFileTorrent.RecordPieceLength, report.PieceSize);
        Assert.Empty(report.Trackers);
    }

    [Fact]
    public async Task Show_TorrentWithTrackers_ListsThemInTierOrderAsync()
    {
        using var temp = new TempDirectory(nameof(Show_TorrentWithTrackers_ListsThemInTierOrderAsync));
        var path = temp.WriteFile("post.torrent", SingleFileTorrent.BuildTorrentFile("post.upseed", InteropContent.Bytes(100), s_trackers));

        var report = await TransmissionShow.ShowAsync(path);

        Assert.Equal(s_trackers, report.Trackers);
    }

    [Fact]
    public async Task ShowMagnet_OurTorrent_GivesALinkThatParsesToOurMagnetLinkAsync()
    {
        using var temp = new TempDirectory(nameof(ShowMagnet_OurTorrent_GivesALinkThatParsesToOurMagnetLinkAsync));
        var torrent = SingleFileTorrent.BuildTorrentFile("post-héllo wörld.upseed", InteropContent.Bytes(40000), s_trackers);
        var path = temp.WriteFile("post.torrent", torrent);

        var result = await TransmissionShow.RunAsync(path, "--magnet");

        Assert.True(result.ExitCode == 0, result.Describe());
        var fromTransmission = MagnetLink.Parse(result.StandardOutput.Trim());
        var ours = TorrentMetainfo.Parse(torrent).ToMagnetLink();
        Assert.Equal(ours, fromTransmission);
        Assert.Equal("post-héllo wörld.upseed", fromTransmission.DisplayName);
        Assert.Equal(s_trackers, fromTransmission.Trackers);
    }

    [Fact]
    public async Task Show_ZeroLengthTorrent_IsRefusedAsWeRefuseItAsync()
    {
        // Why SingleFileTorrent and TorrentMetainfo refuse empty content: a real client will not load it.
        using var temp = new TempDirectory(nameof(Show_ZeroLengthTorrent_IsRefusedAsWeRefuseItAsync));
        var torrent = InteropContent.ZeroLengthTorrent();
        var path = temp.WriteFile("empty.torrent", torrent);

        var result = await TransmissionShow.RunAsync(path);

        Assert.True(result.ExitCode != 0, $"transmission-show accepted a 0-byte torrent: {result.Describe()}");
        Assert.Contains("Error parsing", result.StandardError, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => TorrentMetainfo.Parse(torrent));
    }
}
