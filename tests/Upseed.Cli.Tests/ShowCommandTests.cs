using System.Text.Json;

namespace Upseed.Cli.Tests;

public sealed class ShowCommandTests : IDisposable
{
    private readonly CliSandbox _cli = new();
    private readonly string _alice;

    public ShowCommandTests() => _alice = _cli.NewIdentity("Alice");

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Show_Json_PrintsPostWithNestedCommentTree()
    {
        var post = _cli.Post("gardening", "First tomatoes", "Small but red.");
        _cli.Clock.Advance(TimeSpan.FromMinutes(1));
        var first = _cli.Comment(post, "Sungold here.");
        _cli.Clock.Advance(TimeSpan.FromMinutes(1));
        var reply = _cli.Comment(first, "Pick them a day early.");
        _cli.Clock.Advance(TimeSpan.FromMinutes(1));
        var deeper = _cli.Comment(reply, "Good idea.");
        _cli.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = _cli.Comment(post, "Mine are still green.");

        var thread = _cli.Json("show", post);

        Assert.Equal(post, thread.GetProperty("id").GetString());
        Assert.Equal("gardening", thread.GetProperty("community").GetString());
        Assert.Equal("First tomatoes", thread.GetProperty("title").GetString());
        Assert.Equal("Small but red.", thread.GetProperty("body").GetString());
        Assert.Equal(_alice, thread.GetProperty("author").GetString());
        Assert.Equal(4, thread.GetProperty("commentCount").GetInt32());
        var comments = thread.GetProperty("comments").EnumerateArray().ToList();
        Assert.Equal(new[] { first, second }.Order(), comments.Select(Id).Order());
        var firstNode = comments.Single(c => Id(c) == first);
        Assert.Equal("Sungold here.", firstNode.GetProperty("body").GetString());
        var replyNode = Assert.Single(firstNode.GetProperty("replies").EnumerateArray());
        Assert.Equal(reply, Id(replyNode));
        Assert.Equal(first, replyNode.GetProperty("parent").GetString());
        var deeperNode = Assert.Single(replyNode.GetProperty("replies").EnumerateArray());
        Assert.Equal(deeper, Id(deeperNode));
        Assert.Empty(deeperNode.GetProperty("replies").EnumerateArray());
        Assert.Empty(comments.Single(c => Id(c) == second).GetProperty("replies").EnumerateArray());
    }

    [Fact]
    public void Show_SortNew_NewestCommentFirst_SortTopHighestScoreFirst()
    {
        var post = _cli.Post("gardening", "First tomatoes");
        var older = _cli.Comment(post, "Older.");
        _cli.Clock.Advance(TimeSpan.FromMinutes(1));
        var newer = _cli.Comment(post, "Newer.");
        _cli.Ok("vote", older);

        Assert.Equal([newer, older], Comments(_cli.Json("show", post, "--sort", "new")));
        Assert.Equal([older, newer], Comments(_cli.Json("show", post, "--sort", "top")));
    }

    [Fact]
    public void Show_Comment_PrintsThatSubtree()
    {
        var post = _cli.Post("gardening", "First tomatoes");
        var first = _cli.Comment(post, "Sungold here.");
        var reply = _cli.Comment(first, "Pick them early.");

        var node = _cli.Json("show", first);

        Assert.Equal(first, Id(node));
        Assert.Equal(post, node.GetProperty("parent").GetString());
        Assert.Equal(post, node.GetProperty("root").GetString());
        Assert.Equal([reply], Comments(node));
    }

    [Fact]
    public void Show_Text_PrintsTitleBodyAndComments()
    {
        var post = _cli.Post("gardening", "First tomatoes", "Small but red.");
        _cli.Comment(post, "Sungold here.");

        var text = _cli.Ok("show", post).StandardOutput;

        Assert.Contains("First tomatoes", text, StringComparison.Ordinal);
        Assert.Contains("Small but red.", text, StringComparison.Ordinal);
        Assert.Contains("Sungold here.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_ByMagnetLink_PrintsThePost()
    {
        var post = _cli.Post("gardening", "First tomatoes");
        var magnet = _cli.Ok("export", post, "--magnet").LastLine;

        Assert.Equal(post, Id(_cli.Json("show", magnet)));
    }

    [Fact]
    public void Show_UnknownId_ExitsFailure()
    {
        var result = _cli.Run("show", new string('c', 40), "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.NotEmpty(result.StandardError);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Fact]
    public void Show_UnknownPrefix_ExitsFailure()
    {
        _cli.Post("gardening", "First tomatoes");

        Assert.Equal(1, _cli.Run("show", "zzzzzzzz").ExitCode);
    }

    private static string Id(JsonElement node) => node.GetProperty("id").GetString()!;

    private static List<string> Comments(JsonElement node) => [.. node.GetProperty("comments").EnumerateArray().Select(Id)];
}
