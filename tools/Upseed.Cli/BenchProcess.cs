using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Upseed.Cli;

/// <summary>
/// What the seeding benchmarks measure a process with (resident memory from <c>/proc</c>, CPU time) and how they run
/// the other side of a measurement (a second CLI process, libtorrent scripts, opentracker) as child processes.
/// </summary>
internal static class BenchProcess
{
    public const string Python = "/usr/bin/python3";

    /// <summary>
    /// Resident set size and its parts (VmRSS, RssAnon, RssFile, RssShmem of <c>/proc/PID/status</c>), in bytes.
    /// RssFile is mapped files (the runtime's and the app's assemblies, native libraries); RssShmem on .NET is mostly
    /// the double-mapped memory of JIT-compiled code.
    /// </summary>
    public sealed record Memory(long Rss, long Anonymous, long File, long Shared)
    {
        public static Memory Read(string status = "/proc/self/status")
        {
            long Field(string name)
            {
                foreach (var line in System.IO.File.ReadLines(status))
                {
                    if (line.StartsWith(name, StringComparison.Ordinal))
                    {
                        return long.Parse(line.AsSpan(name.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                    }
                }

                throw new CliException($"{status} has no {name} line (Linux only).");
            }

            return new Memory(Field("VmRSS:"), Field("RssAnon:"), Field("RssFile:"), Field("RssShmem:"));
        }
    }

    /// <summary>Two full blocking, compacting collections with finalizers in between, then a pause for the runtime to return memory.</summary>
    public static void FullCollect()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Thread.Sleep(1000);
    }

    public static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    public static double MiB(long bytes) => bytes / 1048576.0;

    /// <summary>A file under <c>tools/bench</c>, looked up from the CLI's folder and the working directory upwards.</summary>
    public static string Script(string name)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var path = Path.Combine(folder.FullName, "tools", "bench", name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        throw new CliException($"tools/bench/{name} not found above {AppContext.BaseDirectory} or the working directory; run from the checkout.");
    }

    /// <summary>This CLI again, as a child process (the same build, through <c>dotnet</c> when it runs from a dll).</summary>
    public static Child StartSelf(string name, IEnumerable<string> arguments, TextWriter? stderr)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var prefix = Path.GetFileNameWithoutExtension(host) == "dotnet" ? new[] { typeof(BenchProcess).Assembly.Location } : [];
        return Child.Start(host, prefix.Concat(arguments), stderr, name);
    }

    /// <summary>Percentile of sorted values (nearest rank).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>
    /// A child process with its stdout read line by line and its stderr passed on (progress) or kept for the error
    /// message. Killed with its children on dispose unless it has exited.
    /// </summary>
    internal sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _error = new();
        private readonly Task _stderr;
        private readonly bool _forwarded;

        private Child(Process process, TextWriter? stderr, string name)
        {
            _process = process;
            _forwarded = stderr is not null;
            Name = name;
            _stderr = Task.Run(async () =>
            {
                while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
                {
                    lock (_error)
                    {
                        _error.AppendLine(line);
                    }

                    stderr?.WriteLine(line);
                }
            });
        }

        public int Id => _process.Id;

        public string Name { get; }

        public bool HasExited => _process.HasExited;

        /// <summary>What the child wrote on stderr, for an error message (or a pointer to it when it was passed on).</summary>
        public string Error
        {
            get
            {
                if (_forwarded)
                {
                    return "(above)";
                }

                lock (_error)
                {
                    return _error.ToString();
                }
            }
        }

        public static Child Start(string fileName, IEnumerable<string> arguments, TextWriter? stderr, string? name = null)
        {
            if (!File.Exists(fileName) && Path.IsPathRooted(fileName))
            {
                throw new CliException($"{fileName} is not installed.");
            }

            var info = new ProcessStartInfo(fileName)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            info.Environment["LC_ALL"] = "C.UTF-8";
            return new Child(Process.Start(info) ?? throw new CliException($"Could not start {fileName}."), stderr, name ?? Path.GetFileName(fileName));
        }

        /// <summary>The next line of stdout; fails with the child's stderr when it ends first or takes too long.</summary>
        public string ReadLine(TimeSpan timeout)
        {
            var read = _process.StandardOutput.ReadLineAsync();
            if (!read.Wait(timeout))
            {
                throw new CliException($"{Name} said nothing for {timeout.TotalSeconds:0} s. Its stderr: {Error}");
            }

            return read.Result ?? throw new CliException($"{Name} ended without its report (exit {ExitCode()}). Its stderr: {Error}");
        }

        /// <summary>The next stdout line that is a JSON object with <c>"ok": true</c>, or a failure with what it said.</summary>
        public JsonElement ReadReport(TimeSpan timeout)
        {
            var line = ReadLine(timeout);
            using var json = JsonDocument.Parse(line);
            var report = json.RootElement.Clone();
            if (report.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.False)
            {
                throw new CliException($"{Name} failed: {line} Its stderr: {Error}");
            }

            return report;
        }

        public void CloseInput() => _process.StandardInput.Close();

        public void WaitForExit(TimeSpan timeout)
        {
            if (!_process.WaitForExit(timeout))
            {
                throw new CliException($"{Name} did not exit within {timeout.TotalSeconds:0} s.");
            }
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            _stderr.Wait(1000);
            _process.Dispose();
        }

        private string ExitCode()
        {
            _process.WaitForExit(2000);
            return _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "still running";
        }
    }
}
