using System.Diagnostics;
using System.Text;

namespace Upseed.Interop.Tests;

/// <summary>
/// A real client kept running for a test (a seeder, a tracker, a downloader): started with its output captured,
/// killed with its children on dispose, so a test that fails never leaves one behind.
/// </summary>
internal sealed class BackgroundProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BackgroundProcess(Process process) => _process = process;

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

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <exception cref="FileNotFoundException">The program is not installed; the message names the Debian package.</exception>
    public static BackgroundProcess Start(string fileName, IEnumerable<string> arguments, string debianPackage, string? workingDirectory = null)
    {
        if (!File.Exists(fileName))
        {
            throw new FileNotFoundException($"{fileName} is missing: install the Debian package {debianPackage} (apt-get install {debianPackage}).", fileName);
        }

        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["LC_ALL"] = "C.UTF-8";
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var background = new BackgroundProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                background._firstLine.TrySetException(new EndOfStreamException($"{fileName} ended without output. stderr: {background.Error}"));
                return;
            }

            lock (background._output)
            {
                background._output.AppendLine(e.Data);
            }

            background._firstLine.TrySetResult(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (background._error)
                {
                    background._error.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return background;
    }

    /// <summary>The first line the process prints (scripts print their port or result there).</summary>
    public async Task<string> FirstLineAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _firstLine.Task.WaitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_process.StartInfo.FileName} printed nothing within {timeout.TotalSeconds:0} s. stderr: {Error}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_process.StartInfo.FileName} still running after {timeout.TotalSeconds:0} s. stdout: {Output} stderr: {Error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
    }
}
