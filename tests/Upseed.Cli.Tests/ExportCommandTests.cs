using Upseed.Metainfo;

namespace Upseed.Cli.Tests;

public sealed class ExportCommandTests : IDisposable
{
    private readonly CliSandbox _cli = new();
    private readonly string _post;

    public ExportCommandTests()
    {
        _cli.NewIdentity("Alice");
        _post = _cli.Post("gardening", "First tomatoes", "Small but red.");
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Export_RecordThenImportElsewhere_SameIdAndSamePost()
    {
        var file = _cli.PathFor("post.upseed");
        _cli.Ok("export", _post, "--record", file);
        using var other = new CliSandbox();

        var imported = other.Ok("import", file);

        Assert.Equal(_post, imported.LastLine);
        var listed = Assert.Single(other.Top());
        Assert.Equal(_post, listed.GetProperty("id").GetString());
        Assert.Equal("First tomatoes", listed.GetProperty("title").GetString());
        Assert.Equal("Small but red.", other.Json("show", _post).GetProperty("body").GetString());
    }

    [Fact]
    public void Export_Record_WritesTheStoredBytes()
    {
        var file = _cli.PathFor("post.upseed");

        _cli.Ok("export", _post, "--record", file);

        using var store = _cli.OpenStore();
        Assert.True(store.TryGetBytes(InfoHash.Parse(_post), out var stored));
        Assert.Equal(stored, File.ReadAllBytes(file));
    }

    [Fact]
    public void Export_Magnet_PrintsBtihLinkWithDisplayName()
    {
        var magnet = _cli.Ok("export", _post, "--magnet").LastLine;

        Assert.StartsWith($"magnet:?xt=urn:btih:{_post}&dn=", magnet, StringComparison.Ordinal);
        Assert.True(MagnetLink.TryParse(magnet, out var parsed, out var error), error);
        Assert.Equal(_post, parsed.InfoHash.ToHex());
        Assert.EndsWith(".upseed", parsed.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_Torrent_WritesTorrentWhoseInfoHashIsTheId()
    {
        var file = _cli.PathFor("post.torrent");

        _cli.Ok("export", _post, "--torrent", file);

        var bytes = File.ReadAllBytes(file);
        Assert.Equal((byte)'d', bytes[0]);
        Assert.Contains("4:info", System.Text.Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Export_WithTrackersAndPeerHint_MagnetAndTorrentCarryThemAndKeepTheId()
    {
        using (var store = _cli.OpenStore())
        {
            store.SetSetting(Upseed.Node.BoxLinks.TrackersSetting, "http://tracker.example:6969/announce udp://tracker.example:6969");
            store.SetSetting(Upseed.Node.BoxLinks.PeerHintSetting, "192.168.1.20:6881");
        }

        var magnet = MagnetLink.Parse(_cli.Ok("export", _post, "--magnet").LastLine);
        var file = _cli.PathFor("post.torrent");
        _cli.Ok("export", _post, "--torrent", file);
        var torrent = TorrentMetainfo.Parse(File.ReadAllBytes(file));

        Assert.Equal(_post, magnet.InfoHash.ToHex());
        Assert.Equal(["http://tracker.example:6969/announce", "udp://tracker.example:6969"], magnet.Trackers);
        Assert.Equal(["192.168.1.20:6881"], magnet.Peers);
        Assert.Equal(_post, torrent.InfoHash.ToHex());
        Assert.Equal(["http://tracker.example:6969/announce", "udp://tracker.example:6969"], torrent.Trackers);
    }

    [Fact]
    public void PeerHint_WildcardListen_UsesALanAddressWithThePort()
    {
        Assert.Equal("10.1.2.3:6881", Upseed.Node.BoxLinks.PeerHint(System.Net.IPEndPoint.Parse("10.1.2.3:6881")));
        var hint = Upseed.Node.BoxLinks.PeerHint(new System.Net.IPEndPoint(System.Net.IPAddress.Any, 6881));
        if (hint is not null)
        {
            var endpoint = System.Net.IPEndPoint.Parse(hint);
            Assert.Equal(6881, endpoint.Port);
            Assert.False(System.Net.IPAddress.IsLoopback(endpoint.Address));
        }
    }

    [Fact]
    public void Export_ByPrefix_ExportsThatRecord()
    {
        Assert.StartsWith($"magnet:?xt=urn:btih:{_post}&", _cli.Ok("export", _post[..10], "--magnet").LastLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_UnknownId_ExitsFailure()
    {
        Assert.Equal(1, _cli.Run("export", new string('d', 40), "--magnet").ExitCode);
    }
}
