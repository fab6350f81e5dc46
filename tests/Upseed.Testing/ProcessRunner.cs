using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Upseed.Testing;

/// <summary>
/// Runs an external tool to completion and captures its output. A tool that hangs is killed (with its children)
/// when the timeout passes, so one stuck process fails one test instead of stalling the run.
/// </summary>
public static class ProcessRunner
{
    /// <summary>Generous for tools that answer in milliseconds; only a hung tool reaches it.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <exception cref="FileNotFoundException">The executable could not be started.</exception>
    /// <exception cref="TimeoutException">The process ran longer than <paramref name="timeout"/> and was killed.</exception>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
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

        // No tool here reads input; closing stdin keeps one that tries from waiting forever.
        process.StandardInput.Close();
        var standardOutput = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var standardError = process.StandardError.ReadToEndAsync(CancellationToken.None);

        var limit = timeout ?? DefaultTimeout;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"'{fileName} {string.Join(' ', startInfo.ArgumentList)}' ran longer than {limit.TotalSeconds:0.#} s and was killed. "
                + $"stderr so far: {(await standardError).Trim()}");
        }

        return new ProcessResult(process.ExitCode, await standardOutput, await standardError);
    }
}
