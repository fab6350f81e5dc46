namespace Upseed.Interop.Tests;

/// <summary>A fresh directory for one test, named after it so leftovers say whose they are; deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string testName)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"upseed-interop-{testName}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="bytes"/> to a file in this directory and returns its full path.</summary>
    public string WriteFile(string fileName, byte[] bytes)
    {
        var path = System.IO.Path.Combine(Path, fileName);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
