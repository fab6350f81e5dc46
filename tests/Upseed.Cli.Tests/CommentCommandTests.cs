namespace Upseed.Cli.Tests;

public sealed class CommentCommandTests : IDisposable
{
    private readonly CliSandbox _cli = new();
    private readonly string _post;

    public CommentCommandTests()
    {
        _cli.NewIdentity("Alice");
        _post = _cli.Post("gardening", "First tomatoes");
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Comment_OnPost_PrintsIdOfCommentInThread()
    {
        var result = _cli.Ok("comment", "--parent", _post, "--body", "Sungold here.");

        Assert.Matches(Patterns.RecordId, result.LastLine);
        var thread = _cli.Json("show", _post);
        var comment = Assert.Single(thread.GetProperty("comments").EnumerateArray());
        Assert.Equal(result.LastLine, comment.GetProperty("id").GetString());
        Assert.Equal(_post, comment.GetProperty("parent").GetString());
    }

    [Fact]
    public void Comment_ByIdPrefix_AnswersThatPost()
    {
        var comment = _cli.Comment(_post[..8], "By prefix.");

        var thread = _cli.Json("show", _post);
        Assert.Equal(comment, Assert.Single(thread.GetProperty("comments").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public void Comment_Json_PrintsOneDocumentWithId()
    {
        var json = _cli.Json("comment", "--parent", _post, "--body", "In JSON.");

        Assert.Matches(Patterns.RecordId, json.GetProperty("id").GetString());
    }

    [Fact]
    public void Comment_UnknownParent_ExitsFailure()
    {
        var result = _cli.Run("comment", "--parent", new string('a', 40), "--body", "Into the void.");

        Assert.Equal(1, result.ExitCode);
        Assert.NotEmpty(result.StandardError);
    }

    [Fact]
    public void Comment_EmptyBody_ExitsRejected()
    {
        var result = _cli.Run("comment", "--parent", _post, "--body", "");

        Assert.Equal(3, result.ExitCode);
    }
}
