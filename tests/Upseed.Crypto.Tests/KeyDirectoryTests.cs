using System.Runtime.Versioning;
using System.Text;

namespace Upseed.Crypto.Tests;

/// <summary>Key files on a real file system, each test in its own temporary folder. Unix modes: Linux only.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class KeyDirectoryTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAll = OwnerReadWrite | UnixFileMode.UserExecute;

    private static readonly Rfc8032Vector s_test1 = Rfc8032Vector.Load()[0];

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("upseed-keys-");
    private readonly KeyDirectory _keys;

    public KeyDirectoryTests()
    {
        _keys = new KeyDirectory(Path.Combine(_root.FullName, "keys"));
    }

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Save_NewKey_WritesOwnerOnlyFileInOwnerOnlyDirectory()
    {
        var file = _keys.Save(Ed25519.Generate());

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(file));
        Assert.Equal(OwnerAll, File.GetUnixFileMode(_keys.Path));
        Assert.Equal(_keys.Path, Path.GetDirectoryName(file));
    }

    [Fact]
    public void Save_DirectoryAlreadyOpenToOthers_TightensItTo0700()
    {
        Directory.CreateDirectory(_keys.Path);
        File.SetUnixFileMode(_keys.Path, OwnerAll | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        _keys.Save(Ed25519.Generate());

        Assert.Equal(OwnerAll, File.GetUnixFileMode(_keys.Path));
    }

    [Fact]
    public void Save_Rfc8032Key_WritesFormatLineAndSeedNamedByPublicKey()
    {
        var pair = Ed25519.FromSeed(s_test1.SecretKey);

        var file = _keys.Save(pair);

        Assert.Equal(Convert.ToHexStringLower(s_test1.PublicKey) + ".key", Path.GetFileName(file));
        Assert.Equal(
            "upseed-ed25519-seed-v1\n" + Convert.ToHexStringLower(s_test1.SecretKey) + "\n",
            File.ReadAllText(file, Encoding.ASCII));
    }

    [Fact]
    public void TryLoad_SavedKey_RoundTripsThePair()
    {
        var saved = Ed25519.Generate();
        _keys.Save(saved);

        Assert.True(_keys.TryLoad(saved.PublicKeyHex, out var loaded));

        Assert.Equal(saved.SecretKey.ToArray(), loaded!.SecretKey.ToArray());
        Assert.Equal(saved.PublicKey.ToArray(), loaded.PublicKey.ToArray());
        var signature = loaded.Sign("hello"u8);
        Assert.True(Ed25519.Verify(saved.PublicKey.Span, "hello"u8, signature));
    }

    [Fact]
    public void TryLoad_UppercaseHex_FindsTheKey()
    {
        var saved = Ed25519.Generate();
        _keys.Save(saved);

        Assert.True(_keys.TryLoad(saved.PublicKeyHex.ToUpperInvariant(), out var loaded));
        Assert.Equal(saved.PublicKeyHex, loaded!.PublicKeyHex);
    }

    [Fact]
    public void TryLoad_UnknownKey_ReturnsFalse()
    {
        _keys.Save(Ed25519.Generate());

        Assert.False(_keys.TryLoad(Convert.ToHexStringLower(s_test1.PublicKey), out var loaded));
        Assert.Null(loaded);
    }

    [Fact]
    public void TryLoad_DirectoryNotCreatedYet_ReturnsFalse()
    {
        Assert.False(_keys.TryLoad(Convert.ToHexStringLower(s_test1.PublicKey), out _));
        Assert.False(Directory.Exists(_keys.Path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcd")]
    [InlineData("../../../../../../etc/passwd")] // a path, not a key: never reaches the file system
    [InlineData("zz5a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")] // 64 characters, not all hex
    public void TryLoad_NotAPublicKey_ThrowsArgumentException(string publicKeyHex)
    {
        Assert.Throws<ArgumentException>(() => _keys.TryLoad(publicKeyHex, out _));
    }

    [Fact]
    public void Save_SameKeyTwice_ThrowsIOExceptionAndKeepsTheFile()
    {
        var pair = Ed25519.FromSeed(s_test1.SecretKey);
        var file = _keys.Save(pair);
        var before = File.ReadAllBytes(file);

        Assert.Throws<IOException>(() => _keys.Save(pair));

        Assert.Equal(before, File.ReadAllBytes(file));
        Assert.True(_keys.TryLoad(pair.PublicKeyHex, out _));
    }

    private static readonly Dictionary<string, string> s_corruptFiles = new()
    {
        ["empty"] = "",
        ["format line only"] = "upseed-ed25519-seed-v1\n",
        ["other format"] = "upseed-ed25519-seed-v2\n" + Hex(s_test1.SecretKey) + "\n",
        ["seed too short"] = "upseed-ed25519-seed-v1\n" + Hex(s_test1.SecretKey)[..62] + "\n",
        ["seed too long"] = "upseed-ed25519-seed-v1\n" + Hex(s_test1.SecretKey) + "00\n",
        ["not hex"] = "upseed-ed25519-seed-v1\n" + "g" + Hex(s_test1.SecretKey)[1..] + "\n",
        ["a line appended"] = "upseed-ed25519-seed-v1\n" + Hex(s_test1.SecretKey) + "\nextra\n",
        ["seed first"] = Hex(s_test1.SecretKey) + "\nupseed-ed25519-seed-v1\n",
        ["binary"] = "\0\u0001\u0002upseed\n\u00ff",
        ["large"] = "upseed-ed25519-seed-v1\n" + Hex(s_test1.SecretKey) + "\n" + new string('#', 100_000),
    };

    public static TheoryData<string> CorruptFiles() => [.. s_corruptFiles.Keys];

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void TryLoad_CorruptedFile_ThrowsInvalidDataException(string corruption)
    {
        var publicKeyHex = Hex(s_test1.PublicKey);
        _keys.Save(Ed25519.FromSeed(s_test1.SecretKey));
        File.WriteAllText(Path.Combine(_keys.Path, publicKeyHex + ".key"), s_corruptFiles[corruption], Encoding.Latin1);

        var ex = Assert.Throws<InvalidDataException>(() => _keys.TryLoad(publicKeyHex, out _));

        Assert.Contains("not an Upseed key file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_FileHoldingAnotherKey_ThrowsInvalidDataException()
    {
        // A key file renamed (or copied) under another public key's name.
        var vectors = Rfc8032Vector.Load();
        var file = _keys.Save(Ed25519.FromSeed(vectors[0].SecretKey));
        var otherName = Path.Combine(_keys.Path, Hex(vectors[1].PublicKey) + ".key");
        File.Move(file, otherName);

        var ex = Assert.Throws<InvalidDataException>(() => _keys.TryLoad(Hex(vectors[1].PublicKey), out _));

        Assert.Contains("different key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FileWithWindowsLineEndings_LoadsTheKey()
    {
        // The format is line based; a file that passed through an editor that writes CRLF still reads.
        var file = Path.Combine(_root.FullName, "crlf.key");
        File.WriteAllText(file, "upseed-ed25519-seed-v1\r\n" + Hex(s_test1.SecretKey) + "\r\n", Encoding.ASCII);

        Assert.Equal(s_test1.PublicKey, KeyDirectory.Read(file).PublicKey.ToArray());
    }

    [Fact]
    public void List_SavedKeysAndOtherFiles_ReturnsOnlyKeysInOrder()
    {
        var first = Ed25519.Generate();
        var second = Ed25519.Generate();
        _keys.Save(first);
        _keys.Save(second);
        File.WriteAllText(Path.Combine(_keys.Path, "notes.txt"), "x");
        File.WriteAllText(Path.Combine(_keys.Path, "short.key"), "x");

        var listed = _keys.List().ToList();

        Assert.Equal(new[] { first.PublicKeyHex, second.PublicKeyHex }.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public void List_DirectoryNotCreatedYet_ReturnsEmpty()
    {
        Assert.Empty(_keys.List());
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
