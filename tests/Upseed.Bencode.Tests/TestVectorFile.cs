namespace Upseed.Bencode.Tests;

/// <summary>Reads files from tests/TestVectors, which the project copies next to the test assembly.</summary>
internal static class TestVectorFile
{
    /// <summary>The non-blank lines of a vector file, without '#' comment lines.</summary>
    public static IEnumerable<string> Lines(string name) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestVectors", name))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'));
}
