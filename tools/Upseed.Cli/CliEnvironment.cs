namespace Upseed.Cli;

/// <summary>What the CLI takes from its surroundings, so tests can run it in-process with their own.</summary>
internal sealed record CliEnvironment(string DefaultDataFolder, TimeProvider Clock)
{
    /// <summary><c>$UPSEED_DATA</c>, else a per-user folder (<c>~/.local/share/upseed</c> on Linux).</summary>
    public static CliEnvironment FromProcess()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("UPSEED_DATA");
        var folder = !string.IsNullOrWhiteSpace(fromEnvironment)
            ? fromEnvironment
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "upseed");
        return new CliEnvironment(folder, TimeProvider.System);
    }
}
