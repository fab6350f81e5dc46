using System.Diagnostics;
using System.Text.Json;

namespace Upseed.Interop.Tests;

/// <summary>
/// scripts/lt_dht.py kept running: two libtorrent sessions in the DHT that joined through our node, driven one JSON
/// command per line. Killed on dispose, so a failing test leaves nothing behind.
/// </summary>
internal sealed class LibtorrentDht : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _error = new();

    private LibtorrentDht(Process process) => _process = process;

    public static async Task<LibtorrentDht> StartAsync(string bootstrap)
    {
        if (!File.Exists(Libtorrent.Python))
        {
            throw new InvalidOperationException($"{Libtorrent.Python} is missing. Install the Debian packages python3 and {Libtorrent.DebianPackage}.");
        }

        var start = new ProcessStartInfo(Libtorrent.Python)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "scripts", "lt_dht.py"));
        start.ArgumentList.Add("--bootstrap");
        start.ArgumentList.Add(bootstrap);
        start.ArgumentList.Add("--timeout");
        start.ArgumentList.Add("60");
        start.Environment["LC_ALL"] = "C.UTF-8";
        var process = Process.Start(start)!;
        var dht = new LibtorrentDht(process);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (dht._error)
            {
                dht._error.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        var ready = await dht.ReadAsync();
        Assert.True(ready.TryGetProperty("ready", out _), $"libtorrent did not join the DHT: {ready}");
        return dht;
    }

    /// <summary>Runs one command and returns its JSON answer.</summary>
    public async Task<JsonElement> RunAsync(object command)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command));
        await _process.StandardInput.FlushAsync();
        return await ReadAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private async Task<JsonElement> ReadAsync()
    {
        // Each command gives up within its own 60 s; this only guards against a hung interpreter.
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var line = await _process.StandardOutput.ReadLineAsync(cancel.Token);
        if (line is null)
        {
            string error;
            lock (_error)
            {
                error = _error.ToString();
            }

            throw new InvalidOperationException($"lt_dht.py ended: {error}");
        }

        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }
}
