namespace Upseed.Cli.Tests;

/// <summary>
/// The real <c>tools/upseed</c> script as a process, the way the acceptance checks and the README call it. It may
/// build the CLI first (on a fresh clone, or after sources changed), hence the generous timeout.
/// </summary>
public sealed class WrapperScriptTests : IDisposable
{
    /// <summary>A cold <c>dotnet build</c> of the CLI and its libraries on a slow machine, plus the run itself.</summary>
    private static readonly TimeSpan s_firstUseTimeout = TimeSpan.FromMinutes(5);

    private readonly CliSandbox _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task IdNew_ThroughWrapperWithUpseedData_PrintsKeyAndUsesThatFolderAsync()
    {
        var script = Path.Combine(RepositoryRoot(), "tools", "upseed");
        var environment = new Dictionary<string, string> { ["UPSEED_DATA"] = _cli.DataFolder };

        var result = await ProcessRunner.RunAsync(script, ["id", "new", "--name", "Wrapper"], s_firstUseTimeout, environment);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Matches(Patterns.PublicKey, result.LastLine);
        using var store = _cli.OpenStore();
        Assert.Equal("Wrapper", store.DisplayName(Convert.FromHexString(result.LastLine)));
    }

    /// <summary>The folder holding Appliance.sln, found by walking up from the test assembly.</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Appliance.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Appliance.sln above {AppContext.BaseDirectory}.");
    }
}
