using Upseed.Records;

namespace Upseed.Cli.Tests;

/// <summary>The contract end to end with the shipped proof-of-work defaults (about a second each on a Pi).</summary>
public sealed class DefaultProofOfWorkTests : IDisposable
{
    private readonly CliSandbox _cli = new(defaultWork: true);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void IdentityPostExportImport_DefaultWork_AcceptedEverywhere()
    {
        var key = _cli.Ok("id", "new", "--name", "Alice");
        Assert.Matches(Patterns.PublicKey, key.LastLine);
        Assert.Contains($"({RecordValidationOptions.DefaultIdentityDifficulty} bits)", key.StandardError, StringComparison.Ordinal);

        var post = _cli.Ok("post", "--community", "gardening", "--title", "First tomatoes", "--body", "Small but red.");
        Assert.Matches(Patterns.RecordId, post.LastLine);
        Assert.Contains($"({RecordValidationOptions.DefaultPostDifficulty} bits)", post.StandardError, StringComparison.Ordinal);

        var comment = _cli.Ok("comment", "--parent", post.LastLine, "--body", "Sungold here.").LastLine;
        _cli.Ok("vote", post.LastLine);
        var listed = Assert.Single(_cli.Top());
        Assert.Equal(1, listed.GetProperty("score").GetInt64());
        Assert.Equal(1, listed.GetProperty("comments").GetInt64());

        // Another box on the defaults takes all of it: the work done here meets the work required there.
        using var other = new CliSandbox(defaultWork: true);
        foreach (var id in new[] { post.LastLine, comment })
        {
            var file = _cli.PathFor(id + ".upseed");
            _cli.Ok("export", id, "--record", file);
            Assert.Equal(id, other.Ok("verify", file).LastLine);
            Assert.Equal(id, other.Ok("import", file).LastLine);
        }

        var thread = other.Json("show", post.LastLine);
        Assert.Equal(comment, Assert.Single(thread.GetProperty("comments").EnumerateArray()).GetProperty("id").GetString());
    }
}
