using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Upseed.Metainfo;

namespace Upseed.Torrent.Tests.Trackers;

/// <summary>
/// Debian's opentracker on 127.0.0.1, one process per test, TCP (HTTP) and UDP on the same free port.
/// <para>
/// Debian builds it in "private" mode (<c>WANT_ACCESSLIST_WHITE</c>, see /usr/share/doc/opentracker/README.Debian):
/// only info-hashes listed in the whitelist file may be announced, so each test passes the hashes it uses. The
/// process chroots to its <c>-d</c> directory when started as root and then reads the whitelist, so the whitelist
/// path is given relative to that directory, and both are world-readable for the unprivileged user it switches to.
/// </para>
/// </summary>
internal sealed class OpentrackerProcess : IAsyncDisposable
{
    public const string InstallHint = "opentracker is not installed: run `apt-get install opentracker` (tools/test installs it).";

    private const string WhitelistFileName = "whitelist.txt";

    // It binds and answers within milliseconds; a port another process took meanwhile shows up as an early exit.
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(10);
    private const int StartAttempts = 5;

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly string _directory;

    private OpentrackerProcess(Process process, StringBuilder output, string directory, int port)
    {
        _process = process;
        _output = output;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public Uri HttpAnnounceUrl => new($"http://127.0.0.1:{Port}/announce");

    public Uri UdpAnnounceUrl => new($"udp://127.0.0.1:{Port}/announce");

    /// <summary>What the process printed so far (it warns on stderr, e.g. about an unreadable whitelist).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Finds the binary on PATH (Debian puts it in /usr/bin).</summary>
    /// <exception cref="InvalidOperationException">It is not installed; the message says how to install it.</exception>
    public static string FindBinary()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Append("/usr/sbin")
            .Select(directory => Path.Combine(directory, "opentracker"))
            .FirstOrDefault(File.Exists);
        return path ?? throw new InvalidOperationException(InstallHint);
    }

    /// <summary>Starts opentracker for <paramref name="testName"/>, allowing exactly <paramref name="whitelist"/>.</summary>
    /// <exception cref="InvalidOperationException">It is not installed, or did not start.</exception>
    public static async Task<OpentrackerProcess> StartAsync(string testName, IEnumerable<InfoHash> whitelist)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("opentracker is a Unix program; these tests run on Debian.");
        }

        var binary = FindBinary();
        var directory = Path.Combine(Path.GetTempPath(), $"upseed-opentracker-{testName}-{Guid.NewGuid():N}");
        var readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(directory, readable);
        var whitelistPath = Path.Combine(directory, WhitelistFileName);
        var allowed = whitelist.ToList();
        await File.WriteAllLinesAsync(whitelistPath, allowed.Select(h => h.ToHex()));
        File.SetUnixFileMode(whitelistPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var failures = new StringBuilder();
        for (var attempt = 0; attempt < StartAttempts; attempt++)
        {
            var port = FindFreePort();
            var output = new StringBuilder();
            var process = Start(binary, directory, port, output);
            // Checked again at the end: when another test's tracker took the port first, ours has exited and the port
            // answered for someone else's.
            if (await WaitUntilListeningAsync(process, port) && (allowed.Count == 0 || await WaitUntilWhitelistLoadedAsync(port, allowed[0])) && !process.HasExited)
            {
                return new OpentrackerProcess(process, output, directory, port);
            }

            await StopAsync(process);
            lock (output)
            {
                failures.Append(FormattableString.Invariant($"port {port}: ")).AppendLine(output.ToString().Trim());
            }
        }

        Directory.Delete(directory, recursive: true);
        throw new InvalidOperationException($"opentracker did not start in {StartAttempts} attempts:\n{failures}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_process);
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static Process Start(string binary, string directory, int port, StringBuilder output)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var startInfo = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,

            // opentracker may read the relative whitelist path on its loader thread before the main thread has
            // chrooted into -d: starting in that folder makes it resolve either way.
            WorkingDirectory = directory,
        };

        // -i binds both sockets to loopback only; -p is the TCP (HTTP) port, -P the UDP port; -d the directory to
        // chroot (as root) or work in; -w the whitelist, relative to -d.
        foreach (var argument in new[] { "-i", "127.0.0.1", "-p", portText, "-P", portText, "-d", directory, "-w", WhitelistFileName })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException($"{InstallHint} ({binary}: {ex.Message})", ex);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // A port free for TCP and UDP at once. Another process could take it before opentracker binds; StartAsync then
    // sees an early exit and tries another.
    private static int FindFreePort()
    {
        while (true)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for UDP: pick again.
            }
        }
    }

    // opentracker reads its whitelist on a thread of its own after it starts listening: until then every hash is
    // "not authorized". A "stopped" announce asks without adding a peer to the swarm the test will look at.
    private static async Task<bool> WaitUntilWhitelistLoadedAsync(int port, InfoHash allowed)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero });
        var url = FormattableString.Invariant(
            $"http://127.0.0.1:{port}/announce?info_hash={System.Web.HttpUtility.UrlEncode(allowed.ToArray())}&peer_id=-US0001-probeprobepr&port=1&uploaded=0&downloaded=0&left=0&compact=1&event=stopped");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_startTimeout)
        {
            try
            {
                var reply = await http.GetStringAsync(url);
                if (!reply.Contains("not authorized", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not answering yet.
            }

            await Task.Delay(20);
        }

        return false;
    }

    // opentracker binds both sockets before it accepts anything, so an accepted TCP connection means UDP is up too.
    private static async Task<bool> WaitUntilListeningAsync(Process process, int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_startTimeout)
        {
            if (process.HasExited)
            {
                return false;
            }

            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }

        return false;
    }

    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }
}
