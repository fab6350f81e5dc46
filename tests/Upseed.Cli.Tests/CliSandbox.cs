using System.Globalization;
using System.Text.Json;
using Upseed.Store;

namespace Upseed.Cli.Tests;

/// <summary>
/// One temporary folder for one test (deleted on dispose) holding a data folder and scratch files, a clock the test
/// moves, and a way to run the CLI in-process against them. Proof of work is lowered to <see cref="CheapWork"/> bits
/// unless the test asks for the defaults.
/// </summary>
internal sealed class CliSandbox : IDisposable
{
    /// <summary>8 bits (about 256 hashes): records still carry real proof of work, in well under a millisecond.</summary>
    public const int CheapWork = 8;

    public CliSandbox(bool defaultWork = false)
    {
        Root = Path.Combine(Path.GetTempPath(), "upseed-cli-tests", Guid.NewGuid().ToString("N"));
        DataFolder = Path.Combine(Root, "data");
        Directory.CreateDirectory(Root);
        if (!defaultWork)
        {
            LowerWork(DataFolder);
        }
    }

    /// <summary>Scratch space for files the test writes or exports.</summary>
    public string Root { get; }

    public string DataFolder { get; }

    public ManualClock Clock { get; } = new();

    /// <summary>Sets <c>pow.identity</c> and <c>pow.post</c> of a data folder to <see cref="CheapWork"/>.</summary>
    public static void LowerWork(string dataFolder)
    {
        using var store = RecordStore.Open(dataFolder);
        store.SetSetting("pow.identity", CheapWork.ToString(CultureInfo.InvariantCulture));
        store.SetSetting("pow.post", CheapWork.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Runs <c>upseed ARGS --data DATA</c> in-process on this sandbox's clock.</summary>
    public CliResult Run(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var environment = new CliEnvironment(Path.Combine(Root, "no-default-data"), Clock);
        var code = CliApp.Run([.. args, "--data", DataFolder], output, error, environment);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs a command that must succeed and returns its result.</summary>
    public CliResult Ok(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.ExitCode == 0, $"upseed {string.Join(' ', args)}: {result.Describe()}");
        return result;
    }

    /// <summary>Runs a <c>--json</c> command that must succeed and returns its output.</summary>
    public JsonElement Json(params string[] args) => Ok([.. args, "--json"]).Json();

    /// <summary>Makes an identity (the new default) and returns its public key.</summary>
    public string NewIdentity(string name) => Ok("id", "new", "--name", name).LastLine;

    /// <summary>Posts and returns the post's id.</summary>
    public string Post(string community, string title, string body = "A body.", string? asKey = null) =>
        Ok(asKey is null
            ? ["post", "--community", community, "--title", title, "--body", body]
            : ["post", "--community", community, "--title", title, "--body", body, "--as", asKey]).LastLine;

    /// <summary>Comments and returns the comment's id.</summary>
    public string Comment(string parent, string body) => Ok("comment", "--parent", parent, "--body", body).LastLine;

    /// <summary><c>top --json</c> with extra options, as a list of post objects.</summary>
    public IReadOnlyList<JsonElement> Top(params string[] options) => [.. Json(["top", .. options]).EnumerateArray()];

    /// <summary>The ids a <c>top --json</c> listing returns, in order.</summary>
    public IReadOnlyList<string> TopIds(params string[] options) => [.. Top(options).Select(p => p.GetProperty("id").GetString()!)];

    /// <summary>Opens the data folder's store directly, on this sandbox's clock. The caller disposes it.</summary>
    public RecordStore OpenStore() => RecordStore.Open(DataFolder, new StoreOptions { Clock = Clock });

    /// <summary>How many records the data folder holds.</summary>
    public long RecordCount()
    {
        using var store = OpenStore();
        return store.Count();
    }

    /// <summary>A path inside the scratch folder.</summary>
    public string PathFor(string fileName) => Path.Combine(Root, fileName);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; it carries a GUID so nothing reuses it.
        }
    }
}
