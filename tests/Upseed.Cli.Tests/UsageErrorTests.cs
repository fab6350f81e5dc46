namespace Upseed.Cli.Tests;

/// <summary>Exit code 2 for a wrong command line (issue 2, CLI contract), with a message on stderr and nothing stored.</summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly CliSandbox _cli = new();
    private readonly string _post;

    public UsageErrorTests()
    {
        _cli.NewIdentity("Alice");
        _post = _cli.Post("gardening", "First tomatoes");
    }

    public void Dispose() => _cli.Dispose();

    public static TheoryData<string[]> BadCommandLines => new()
    {
        { new[] { "top", "--bogus" } },                                          // unknown option
        { new[] { "frobnicate" } },                                              // unknown command
        { new[] { "post", "--community", "gardening", "--body", "No title." } }, // missing --title
        { new[] { "post", "--title", "No community", "--body", "b" } },          // missing --community
        { new[] { "post", "--community", "gardening", "--title", "T", "--body", "b", "--body-file", "/etc/hostname" } }, // both bodies
        { new[] { "post", "--community", "gardening", "--title", "T", "--body-file", "/no/such/file" } },
        { new[] { "comment", "--body", "No parent." } },                        // missing --parent
        { new[] { "vote", "POST", "--down", "--clear" } },                       // conflicting options
        { new[] { "vote" } },                                                    // missing id
        { new[] { "export", "POST" } },                                          // no target option
        { new[] { "export", "POST", "--magnet", "--record", "x.upseed" } },      // two target options
        { new[] { "import" } },                                                  // no file
        { new[] { "id", "new" } },                                               // missing --name
        { new[] { "bench", "gen" } },                                            // missing --posts
        { new[] { "show", "POST", "--sort", "hot" } },                           // comment sorts are top and new
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public void Run_BadCommandLine_ExitsUsageAndChangesNothing(string[] args)
    {
        var before = _cli.RecordCount();

        var result = _cli.Run([.. args.Select(a => a == "POST" ? _post : a)]);

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.NotEmpty(result.StandardError.Trim());
        Assert.Equal(before, _cli.RecordCount());
    }

    [Fact]
    public void Run_Help_ExitsZeroAndListsCommands()
    {
        var result = _cli.Ok("--help");

        foreach (var command in new[] { "id", "post", "comment", "vote", "top", "show", "export", "import", "verify", "bench" })
        {
            Assert.Contains(command, result.StandardOutput, StringComparison.Ordinal);
        }
    }
}
