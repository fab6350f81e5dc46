namespace Upseed.Interop.Tests;

/// <summary>What a finished process left behind: its exit code and everything it wrote.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>A one-paragraph account for assertion messages, so a failure shows what the tool said.</summary>
    public string Describe() => $"exit code {ExitCode}; stdout: {StandardOutput.Trim()}; stderr: {StandardError.Trim()}";
}
