using System.Text.Json;

namespace Upseed.Interop.Tests;

/// <summary>
/// Runs small scripts against libtorrent's Python binding (Debian package python3-libtorrent, libtorrent 2.0.x) and
/// returns what they print as JSON. JSON is written with ASCII escapes, so names survive any locale. A missing
/// interpreter or binding fails the test with the package to install.
/// </summary>
internal static class Libtorrent
{
    public const string Python = "/usr/bin/python3";
    public const string DebianPackage = "python3-libtorrent";

    /// <summary>What libtorrent's <c>torrent_info</c> reads from a .torrent file, or <c>{"error": ...}</c>.</summary>
    private const string ShowTorrentScript = """
        import json, sys
        import libtorrent as lt
        try:
            ti = lt.torrent_info(sys.argv[1])
        except RuntimeError as e:
            print(json.dumps({"error": str(e)}))
            sys.exit(0)
        fs = ti.files()
        print(json.dumps({
            "info_hash": str(ti.info_hash()),
            "info_hash_v1": str(ti.info_hashes().v1),
            "has_v2": ti.info_hashes().has_v2(),
            "name": ti.name(),
            "num_pieces": ti.num_pieces(),
            "piece_length": ti.piece_length(),
            "total_size": ti.total_size(),
            "piece_hashes": [ti.hash_for_piece(i).hex() for i in range(ti.num_pieces())],
            "files": [{"path": fs.file_path(i), "size": fs.file_size(i)} for i in range(fs.num_files())],
            "trackers": [t.url for t in ti.trackers()],
            "magnet": lt.make_magnet_uri(ti),
        }))
        """;

    /// <summary>What <c>lt.parse_magnet_uri</c> reads from a link.</summary>
    private const string ParseMagnetScript = """
        import json, sys
        import libtorrent as lt
        p = lt.parse_magnet_uri(sys.argv[1])
        print(json.dumps({
            "info_hash": str(p.info_hashes.v1),
            "name": p.name,
            "trackers": list(p.trackers),
            "peers": [("[%s]:%d" if ":" in h else "%s:%d") % (h, port) for h, port in p.peers],
        }))
        """;

    /// <summary>Makes a torrent of a folder with libtorrent's own creator: argv = folder, output, "v1" or "hybrid".</summary>
    private const string CreateTorrentScript = """
        import json, os, sys
        import libtorrent as lt
        folder, output, kind = sys.argv[1], sys.argv[2], sys.argv[3]
        fs = lt.file_storage()
        lt.add_files(fs, folder)
        flags = lt.create_torrent.v1_only if kind == "v1" else 0
        ct = lt.create_torrent(fs, 16384, flags=flags)
        lt.set_piece_hashes(ct, os.path.dirname(folder))
        with open(output, "wb") as f:
            f.write(lt.bencode(ct.generate()))
        print(json.dumps({"ok": True}))
        """;

    private static readonly SemaphoreSlim s_checkLock = new(1, 1);
    private static bool s_checked;

    public static Task<JsonElement> ShowTorrentAsync(string torrentPath) => RunScriptAsync(ShowTorrentScript, torrentPath);

    public static Task<JsonElement> ParseMagnetAsync(string magnet) => RunScriptAsync(ParseMagnetScript, magnet);

    public static Task<JsonElement> CreateTorrentAsync(string folder, string outputPath, string kind) =>
        RunScriptAsync(CreateTorrentScript, folder, outputPath, kind);

    private static async Task<JsonElement> RunScriptAsync(string script, params string[] arguments)
    {
        await RequireAsync();
        var result = await ProcessRunner.RunAsync(Python, ["-c", script, .. arguments]);
        Assert.True(result.ExitCode == 0, $"the libtorrent script failed: {result.Describe()}");
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    // Checked once per run: python3 present, then `import libtorrent`, each with its own install hint.
    private static async Task RequireAsync()
    {
        await s_checkLock.WaitAsync();
        try
        {
            if (s_checked)
            {
                return;
            }

            if (!File.Exists(Python))
            {
                throw new InvalidOperationException($"{Python} is missing. Install the Debian packages python3 and {DebianPackage}.");
            }

            var probe = await ProcessRunner.RunAsync(Python, ["-c", "import libtorrent; print(libtorrent.__version__)"]);
            if (probe.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{Python} cannot import libtorrent ({probe.StandardError.Trim()}). "
                    + $"Install the Debian package {DebianPackage} (apt-get install {DebianPackage}).");
            }

            s_checked = true;
        }
        finally
        {
            s_checkLock.Release();
        }
    }
}
