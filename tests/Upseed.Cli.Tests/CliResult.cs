using System.Text.Json;

namespace Upseed.Cli.Tests;

/// <summary>What one CLI run left behind: its exit code and everything it wrote.</summary>
internal sealed record CliResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The last non-empty line of stdout, where the contract puts ids and keys.</summary>
    public string LastLine => StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;

    /// <summary>Stdout read as one JSON document (fails if it is anything more or less).</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(StandardOutput);
        return document.RootElement.Clone();
    }

    /// <summary>A one-paragraph account for assertion messages.</summary>
    public string Describe() => $"exit code {ExitCode}; stdout: {StandardOutput.Trim()}; stderr: {StandardError.Trim()}";
}
