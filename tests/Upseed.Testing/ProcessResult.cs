namespace Upseed.Testing;

/// <summary>What a finished process left behind: its exit code and everything it wrote.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The last non-empty line of stdout, where the CLI contract puts ids and keys.</summary>
    public string LastLine => StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;

    /// <summary>A one-paragraph account for assertion messages, so a failure shows what the tool said.</summary>
    public string Describe() => $"exit code {ExitCode}; stdout: {StandardOutput.Trim()}; stderr: {StandardError.Trim()}";
}
