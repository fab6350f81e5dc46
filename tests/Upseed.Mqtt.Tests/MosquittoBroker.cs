using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Upseed.Mqtt.Tests;

/// <summary>
/// A real mosquitto (/usr/sbin/mosquitto) on a free 127.0.0.1 port, with its own config file and folder. It can be
/// stopped (SIGTERM, so persistence is written) and started again on the same port. Disposing kills it and deletes
/// the folder.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";

    private readonly StringBuilder _log = new();
    private Process? _process;

    private MosquittoBroker(string folder, int port)
    {
        Folder = folder;
        Port = port;
    }

    public string Folder { get; }

    public int Port { get; }

    public bool Persistence { get; private init; }

    public string? PasswordFile { get; private init; }

    /// <summary>CA, server certificate and key (PEM) when the listener is TLS.</summary>
    public (string Ca, string Certificate, string Key)? Tls { get; private init; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<MosquittoBroker> StartAsync(
        string name,
        bool persistence = false,
        IReadOnlyDictionary<string, string>? users = null,
        (string Ca, string Certificate, string Key)? tls = null,
        int? port = null,
        string? extraConfig = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "upseed-mqtt-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        string? passwordFile = null;
        if (users is not null)
        {
            passwordFile = Path.Combine(folder, "passwd");
            await File.WriteAllTextAsync(passwordFile, string.Empty);
            foreach (var (user, password) in users)
            {
                var result = await ProcessRunner.RunAsync("/usr/bin/mosquitto_passwd", ["-b", passwordFile, user, password]);
                Assert.True(result.ExitCode == 0, result.Describe());
            }
        }

        var broker = new MosquittoBroker(folder, port ?? FreePort()) { Persistence = persistence, PasswordFile = passwordFile, Tls = tls };
        var config = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"listener {broker.Port} 127.0.0.1")
            .AppendLine(users is null ? "allow_anonymous true" : "allow_anonymous false")
            .AppendLine("user root")
            .AppendLine("log_dest stderr")
            .AppendLine("log_type error")
            .AppendLine("log_type warning")
            .AppendLine("log_type notice")
            .AppendLine("max_queued_messages 100000");
        if (passwordFile is not null)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"password_file {passwordFile}");
        }

        if (persistence)
        {
            config.AppendLine("persistence true").AppendLine(CultureInfo.InvariantCulture, $"persistence_location {folder}/");
        }

        if (tls is { } t)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"cafile {t.Ca}")
                .AppendLine(CultureInfo.InvariantCulture, $"certfile {t.Certificate}")
                .AppendLine(CultureInfo.InvariantCulture, $"keyfile {t.Key}");
        }

        if (extraConfig is not null)
        {
            config.AppendLine(extraConfig);
        }

        await File.WriteAllTextAsync(broker.ConfigFile, config.ToString());
        await broker.StartAsync();
        return broker;
    }

    public string ConfigFile => Path.Combine(Folder, "mosquitto.conf");

    /// <summary>Starts (again) on the same port and waits until it accepts TCP connections.</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        var startInfo = new ProcessStartInfo(Executable)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(ConfigFile);
        var process = new Process { StartInfo = startInfo };
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {process.ExitCode}: {Log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Stops with SIGTERM (mosquitto writes its persistence file on the way out) and waits for the exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        await ProcessRunner.RunAsync("/bin/kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
        }

        process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync(CancellationToken.None);
            }

            process.Dispose();
            _process = null;
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the test.
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
