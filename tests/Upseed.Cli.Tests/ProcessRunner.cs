using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Upseed.Cli.Tests;

/// <summary>
/// Runs an external program to completion and captures its output. One that outlives its timeout is killed with its
/// children, so a hung tool fails one test instead of stalling the run.
/// </summary>
internal static class ProcessRunner
{
    /// <summary>Generous for tools that answer in milliseconds; only a hung tool reaches it.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <exception cref="FileNotFoundException">The program could not be started.</exception>
    /// <exception cref="TimeoutException">It ran longer than <paramref name="timeout"/> and was killed.</exception>
    public static async Task<CliResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Tools print names as UTF-8 only under a UTF-8 locale; the test host's locale is not ours to rely on.
        startInfo.Environment["LC_ALL"] = "C.UTF-8";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new FileNotFoundException($"Could not start '{fileName}': {ex.Message}", fileName, ex);
        }

        // Nothing run here reads input; closing stdin keeps one that tries from waiting forever.
        process.StandardInput.Close();
        var standardOutput = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var standardError = process.StandardError.ReadToEndAsync(CancellationToken.None);

        var limit = timeout ?? DefaultTimeout;
        using var timeoutSource = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException(
                $"'{fileName} {string.Join(' ', startInfo.ArgumentList)}' ran longer than {limit.TotalSeconds:0.#} s and was killed. "
                + $"stderr so far: {(await standardError).Trim()}");
        }

        return new CliResult(process.ExitCode, await standardOutput, await standardError);
    }
}
