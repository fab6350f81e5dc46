namespace Upseed.Cli.Tests;

public sealed class IdCommandTests : IDisposable
{
    private readonly CliSandbox _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void New_WithName_LastLineIsPublicKeyAndKeyIsSaved()
    {
        var result = _cli.Ok("id", "new", "--name", "Alice");

        Assert.Matches(Patterns.PublicKey, result.LastLine);
        Assert.Contains(Directory.EnumerateFiles(Path.Combine(_cli.DataFolder, "keys")), f => Path.GetFileName(f).Contains(result.LastLine, StringComparison.Ordinal));
        using var store = _cli.OpenStore();
        Assert.Equal("Alice", store.DisplayName(Convert.FromHexString(result.LastLine)));
    }

    [Fact]
    public void Show_AfterNew_PrintsTheNewKeyAndName()
    {
        var key = _cli.NewIdentity("Alice");

        var shown = _cli.Ok("id", "show");

        Assert.Equal(key, shown.LastLine);
        Assert.Contains("Alice", shown.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void New_Twice_SecondBecomesDefault()
    {
        _cli.NewIdentity("Alice");
        var bob = _cli.NewIdentity("Bob");

        Assert.Equal(bob, _cli.Ok("id", "show").LastLine);
    }

    [Fact]
    public void New_Json_PrintsOneDocumentWithKeyAndRecord()
    {
        var json = _cli.Json("id", "new", "--name", "Alice");

        Assert.Matches(Patterns.PublicKey, json.GetProperty("key").GetString());
        Assert.Equal("Alice", json.GetProperty("name").GetString());
        Assert.Matches(Patterns.RecordId, json.GetProperty("record").GetString());
    }

    [Fact]
    public void Show_Json_PrintsKeyNameAndDefault()
    {
        var key = _cli.NewIdentity("Alice");

        var json = _cli.Json("id", "show");

        Assert.Equal(key, json.GetProperty("key").GetString());
        Assert.Equal("Alice", json.GetProperty("name").GetString());
        Assert.True(json.GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public void New_NameWithNewline_ExitsRejectedAndStoresNothing()
    {
        var before = _cli.RecordCount();

        var result = _cli.Run("id", "new", "--name", "Ali\nce");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("rejected", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, _cli.RecordCount());
    }
}
