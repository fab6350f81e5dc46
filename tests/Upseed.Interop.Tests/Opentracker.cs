using System.Net;
using System.Net.Sockets;
using System.Web;
using Upseed.Metainfo;

namespace Upseed.Interop.Tests;

/// <summary>Debian's opentracker on a free 127.0.0.1 port (HTTP and UDP), for clients that only find peers through a tracker.</summary>
internal sealed class Opentracker : IAsyncDisposable
{
    private readonly BackgroundProcess _process;

    private Opentracker(BackgroundProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string AnnounceUrl => $"http://127.0.0.1:{Port}/announce";

    /// <summary>
    /// Starts the tracker. Debian builds opentracker in whitelist mode ("Requested download is not authorized"),
    /// so the info-hashes it may track are written to a whitelist file first.
    /// </summary>
    public static async Task<Opentracker> StartAsync(string folder, params InfoHash[] allowed)
    {
        var port = FreePort.Tcp();
        // Started as root it chroots to -d and drops to "nobody", then reads the whitelist relative to -d: the folder
        // must be readable by others.
        var trackerFolder = Directory.CreateDirectory(Path.Combine(folder, "opentracker")).FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(trackerFolder, (UnixFileMode)0b111_101_101);
        }
        await File.WriteAllLinesAsync(Path.Combine(trackerFolder, "whitelist"), allowed.Select(h => h.ToHex()));
        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Started in the tracker folder too: opentracker may read "whitelist" on its loader thread before the main
        // thread has chrooted into -d, and then the relative path must resolve here as well.
        var process = BackgroundProcess.Start("/usr/bin/opentracker", ["-i", "127.0.0.1", "-p", portText, "-P", portText, "-d", trackerFolder, "-w", "whitelist"], "opentracker", trackerFolder);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                var tracker = new Opentracker(process, port);
                if (allowed.Length > 0)
                {
                    await tracker.WaitForWhitelistAsync(allowed[0]);
                }

                return tracker;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Announces a seeder at 127.0.0.1:<paramref name="port"/> (as the node would), so clients find it.</summary>
    public async Task AnnounceSeederAsync(InfoHash infoHash, int port)
    {
        // opentracker closes connections it answered: no pooling. Its whitelist loads on a thread of its own after
        // it starts listening, so "not authorized" right after start means "ask again".
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero });
        var peerId = "-US0001-" + Guid.NewGuid().ToString("N")[..12];
        var url = $"{AnnounceUrl}?info_hash={HttpUtility.UrlEncode(infoHash.ToArray())}&peer_id={peerId}&port={port}&uploaded=0&downloaded=0&left=0&compact=1&event=started";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var reply = System.Text.Encoding.Latin1.GetString(await http.GetByteArrayAsync(url));
            if (!reply.Contains("failure reason", StringComparison.Ordinal))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"opentracker refused the announce: {reply}");
            await Task.Delay(50);
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    // The whitelist loads on a thread of its own after opentracker starts listening. A "stopped" announce asks
    // whether it is loaded without adding a peer to the swarm.
    private async Task WaitForWhitelistAsync(InfoHash allowed)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero });
        var url = $"{AnnounceUrl}?info_hash={HttpUtility.UrlEncode(allowed.ToArray())}&peer_id=-US0001-probeprobepr&port=1&uploaded=0&downloaded=0&left=0&compact=1&event=stopped";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (System.Text.Encoding.Latin1.GetString(await http.GetByteArrayAsync(url)).Contains("not authorized", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "opentracker never loaded its whitelist");
            await Task.Delay(20);
        }
    }
}

internal static class FreePort
{
    public static int Tcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
