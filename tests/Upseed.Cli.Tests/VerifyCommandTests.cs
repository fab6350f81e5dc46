namespace Upseed.Cli.Tests;

public sealed class VerifyCommandTests : IDisposable
{
    private readonly CliSandbox _cli = new();
    private readonly string _post;
    private readonly string _file;

    public VerifyCommandTests()
    {
        _cli.NewIdentity("Alice");
        _post = _cli.Post("gardening", "First tomatoes", "Small but red.");
        _file = _cli.PathFor("post.upseed");
        _cli.Ok("export", _post, "--record", _file);
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Verify_ExportedRecord_ExitsZeroAndPrintsId()
    {
        var result = _cli.Ok("verify", _file);

        Assert.Equal(_post, result.LastLine);
    }

    [Fact]
    public void Verify_Json_ReportsValidWithIdAndKind()
    {
        var json = _cli.Json("verify", _file);

        Assert.True(json.GetProperty("valid").GetBoolean());
        Assert.Equal(_post, json.GetProperty("id").GetString());
        Assert.Equal("post", json.GetProperty("kind").GetString());
    }

    [Fact]
    public void Verify_TamperedRecord_ExitsRejectedWithReason()
    {
        var tampered = _cli.PathFor("tampered.upseed");
        File.WriteAllBytes(tampered, BadRecords.Replace(File.ReadAllBytes(_file), "Small", "Large"));

        var result = _cli.Run("verify", tampered);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("bad-signature", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_StoresNothing()
    {
        using var other = new CliSandbox();

        other.Ok("verify", _file);

        Assert.Equal(0, other.RecordCount());
    }
}
