using Upseed.Metainfo;
using Upseed.Store;

namespace Upseed.Cli.Tests;

public sealed class PostCommandTests : IDisposable
{
    private readonly CliSandbox _cli = new();

    public PostCommandTests() => _cli.NewIdentity("Alice");

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Post_WithBody_LastLineIsIdOfStoredPinnedPost()
    {
        var result = _cli.Ok("post", "--community", "gardening", "--title", "First tomatoes", "--body", "Small but red.");

        Assert.Matches(Patterns.RecordId, result.LastLine);
        using var store = _cli.OpenStore();
        var id = InfoHash.Parse(result.LastLine);
        Assert.True(store.Contains(id));
        Assert.Contains(store.Pins(id), p => p.Reason == PinReason.Own);
    }

    [Fact]
    public void Post_WithBodyFile_StoresTheFileText()
    {
        const string Body = "Line one.\n\tIndented line two, with ünïcödé.\n";
        var file = _cli.PathFor("body.txt");
        File.WriteAllText(file, Body);

        var id = _cli.Ok("post", "--community", "gardening", "--title", "From a file", "--body-file", file).LastLine;

        Assert.Matches(Patterns.RecordId, id);
        var shown = _cli.Json("show", id);
        Assert.Equal(Body, shown.GetProperty("body").GetString());
        Assert.Equal("From a file", shown.GetProperty("title").GetString());
    }

    [Fact]
    public void Post_Json_PrintsOneDocumentWithIdAndMagnet()
    {
        var json = _cli.Json("post", "--community", "gardening", "--title", "Tomatoes", "--body", "Red.");

        var id = json.GetProperty("id").GetString()!;
        Assert.Matches(Patterns.RecordId, id);
        Assert.StartsWith($"magnet:?xt=urn:btih:{id}&dn=", json.GetProperty("magnet").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Post_SameSecondSameText_StoredOnceWithSameId()
    {
        var first = _cli.Post("gardening", "Twice", "Same words.");
        var count = _cli.RecordCount();

        var second = _cli.Post("gardening", "Twice", "Same words.");

        Assert.Equal(first, second);
        Assert.Equal(count, _cli.RecordCount());
    }

    [Fact]
    public void Post_BodyFileNotUtf8_ExitsRejectedAndStoresNothing()
    {
        var file = _cli.PathFor("binary.bin");
        File.WriteAllBytes(file, [0x66, 0x6f, 0xff, 0xfe, 0x00, 0x01]);
        var before = _cli.RecordCount();

        var result = _cli.Run("post", "--community", "gardening", "--title", "Binary", "--body-file", file);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("invalid-text", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, _cli.RecordCount());
    }

    [Fact]
    public void Post_BodyWithControlCharacter_ExitsRejectedWithReason()
    {
        var result = _cli.Run("post", "--community", "gardening", "--title", "Bell", "--body", "ding\u0007");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("invalid-text", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Post_UppercaseCommunity_ExitsRejectedWithReason()
    {
        var result = _cli.Run("post", "--community", "Gardening", "--title", "Tomatoes", "--body", "Red.");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("invalid-field", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Fact]
    public void Post_NoIdentityYet_ExitsUsageWithHint()
    {
        using var empty = new CliSandbox();

        var result = empty.Run("post", "--community", "gardening", "--title", "Tomatoes", "--body", "Red.");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("id new", result.StandardError, StringComparison.Ordinal);
    }
}
