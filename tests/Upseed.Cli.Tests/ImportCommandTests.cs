namespace Upseed.Cli.Tests;

/// <summary>
/// <c>upseed import</c> and the "Bad input" section of issue 2: each kind of bad record is refused with exit code 3,
/// its own reason on stderr, and no change to the store.
/// </summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly CliSandbox _source = new();
    private readonly CliSandbox _target = new();
    private readonly string _post;
    private readonly string _file;

    public ImportCommandTests()
    {
        _source.NewIdentity("Alice");
        _post = _source.Post("gardening", "First tomatoes", "Small but red.");
        _file = _source.PathFor("post.upseed");
        _source.Ok("export", _post, "--record", _file);

        // The target already holds something, so "unchanged" is not just "still empty".
        _target.NewIdentity("Bob");
        _target.Post("cycling", "Punctures");
    }

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
    }

    [Theory]
    [InlineData("tampered", "bad-signature")]   // wrongly signed: body changed after signing
    [InlineData("truncated", "malformed")]        // half a download
    [InlineData("binary", "invalid-text")]        // NUL, DEL, SOH in the body
    [InlineData("trailing", "non-canonical")]     // one byte after the record
    [InlineData("oversized", "too-large")]        // over 64 KiB
    [InlineData("garbage", "malformed")]          // not bencode
    [InlineData("empty", "malformed")]            // zero bytes
    public void Import_BadRecord_ExitsRejectedWithReasonAndStoreUnchanged(string kind, string reason)
    {
        var file = _target.PathFor(kind + ".upseed");
        File.WriteAllBytes(file, BadRecords.Make(kind, File.ReadAllBytes(_file)));
        var before = _target.RecordCount();

        var result = _target.Run("import", file);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains(reason, result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, _target.RecordCount());
        Assert.DoesNotContain(_post, result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_FutureDated_ExitsRejectedWithReasonAndStoreUnchanged()
    {
        // Made on a box whose clock runs an hour ahead; the limit is 10 minutes (issue 2, Records).
        using var ahead = new CliSandbox();
        ahead.Clock.Advance(TimeSpan.FromHours(1));
        ahead.NewIdentity("Mallory");
        var id = ahead.Post("gardening", "From the future");
        var file = ahead.PathFor("future.upseed");
        ahead.Ok("export", id, "--record", file);
        var before = _target.RecordCount();

        var result = _target.Run("import", file);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("future-timestamp", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, _target.RecordCount());

        // Once the target's clock has caught up, the same file is fine.
        _target.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(id, _target.Ok("import", file).LastLine);
    }

    [Fact]
    public void Import_WithoutEnoughProofOfWork_ExitsRejectedWithReason()
    {
        using (var store = _target.OpenStore())
        {
            store.SetSetting("pow.post", "24");
        }

        var before = _target.RecordCount();

        var result = _target.Run("import", _file);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("insufficient-work", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, _target.RecordCount());
    }

    [Fact]
    public void Import_SameFileTwice_StoredOnce()
    {
        _target.Ok("import", _file);
        var after = _target.RecordCount();

        var again = _target.Run("import", _file);

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(_post, again.LastLine);
        Assert.Contains("already stored", again.StandardError, StringComparison.Ordinal);
        Assert.Equal(after, _target.RecordCount());
    }

    [Fact]
    public void Import_ReplayedOlderVote_ExitsRejectedAsSuperseded()
    {
        var up = _source.PathFor("up.upseed");
        var down = _source.PathFor("down.upseed");
        var upVote = _source.Ok("vote", _post).LastLine;
        _source.Ok("export", upVote, "--record", up);
        _source.Clock.Advance(TimeSpan.FromMinutes(1));
        var downVote = _source.Ok("vote", _post, "--down").LastLine;
        _source.Ok("export", downVote, "--record", down);
        _target.Clock.Advance(TimeSpan.FromMinutes(1));
        _target.Ok("import", _file, down);
        var before = _target.RecordCount();

        var result = _target.Run("import", up);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("superseded", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, _target.RecordCount());
        Assert.Equal(-1, _target.Top("--sort", "new").Single(p => p.GetProperty("id").GetString() == _post).GetProperty("score").GetInt64());
    }

    [Fact]
    public void Import_GoodAndBadTogether_StoresTheGoodOneAndExitsRejected()
    {
        var bad = _target.PathFor("tampered.upseed");
        File.WriteAllBytes(bad, BadRecords.Make("tampered", File.ReadAllBytes(_file)));
        var before = _target.RecordCount();

        var result = _target.Run("import", bad, _file);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("bad-signature", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before + 1, _target.RecordCount());
        Assert.Contains(_post, _target.TopIds("--sort", "new"));
    }

    [Fact]
    public void Import_Json_ReportsOutcomePerFile()
    {
        var bad = _target.PathFor("truncated.upseed");
        File.WriteAllBytes(bad, BadRecords.Make("truncated", File.ReadAllBytes(_file)));

        var result = _target.Run("import", _file, bad, "--json");

        Assert.Equal(3, result.ExitCode);
        var rows = result.Json().EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal("accepted", rows[0].GetProperty("outcome").GetString());
        Assert.Equal(_post, rows[0].GetProperty("id").GetString());
        Assert.Equal("rejected", rows[1].GetProperty("outcome").GetString());
        Assert.Equal("malformed", rows[1].GetProperty("reason").GetString());
    }

    [Fact]
    public void Import_MissingFile_FailsWithoutStoring()
    {
        var before = _target.RecordCount();

        var result = _target.Run("import", _target.PathFor("no-such-file.upseed"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.NotEmpty(result.StandardError);
        Assert.Equal(before, _target.RecordCount());
    }
}
