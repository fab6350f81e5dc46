using System.Net;
using System.Net.Http.Json;
using System.Text;
using Upseed.Crypto;

namespace Upseed.Web.Tests;

public class IdentityTests
{
    [Fact]
    public void SealedKeyFile_OpensOnlyWithItsPassphrase_AndDetectsTampering()
    {
        var key = Ed25519.Generate();
        var file = SealedKeyFile.Seal(key, "alice", "right passphrase", iterations: 1_000);
        var bytes = file.ToBytes();
        Assert.DoesNotContain(Convert.ToHexStringLower(key.Seed), Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);

        var read = SealedKeyFile.TryRead(bytes)!;
        Assert.Equal(key.PublicKeyHex, read.TryOpen("right passphrase")!.PublicKeyHex);
        Assert.Null(read.TryOpen("wrong passphrase"));

        // Another public key in the file (the GCM associated data) makes it fail to open.
        var other = read with { PublicKey = Ed25519.Generate().PublicKeyHex };
        Assert.Null(other.TryOpen("right passphrase"));
        var flipped = read with { Ciphertext = [.. read.Ciphertext.Select((b, i) => i == 0 ? (byte)(b ^ 1) : b)] };
        Assert.Null(flipped.TryOpen("right passphrase"));
    }

    [Fact]
    public void SealedKeyFile_MadeByTheBox_UsesAtLeast600kIterations()
    {
        Assert.True(new WebOptions().Pbkdf2Iterations >= 600_000);
        Assert.True(new WebOptions().KeyFileIterations >= 600_000);
        Assert.Throws<ArgumentException>(() => new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddUpseedWeb(o => o.Pbkdf2Iterations = 1_000));
        Assert.Throws<ArgumentException>(() => new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddUpseedWeb(o => o.KeyFileIterations = 1_000));
    }

    [Fact]
    public void SealedKeyFile_Reader_NeverThrowsOnRandomOrMutatedInput()
    {
        var valid = SealedKeyFile.Seal(Ed25519.Generate(), "fuzz", "passphrase!", 1_000).ToBytes();
        var random = new Random(4242);
        for (var i = 0; i < 3_000; i++)
        {
            byte[] input;
            if (i % 3 == 0)
            {
                input = new byte[random.Next(0, 600)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])valid.Clone();
                for (var flips = random.Next(1, 6); flips > 0; flips--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }

                if (i % 7 == 0)
                {
                    input = input[..random.Next(input.Length)];
                }
            }

            var file = SealedKeyFile.TryRead(input);
            if (file is not null)
            {
                // A file that still parses must still refuse a wrong passphrase, without throwing.
                Assert.Null(file.TryOpen("not the passphrase"));
            }
        }

        Assert.Null(SealedKeyFile.TryRead(new byte[SealedKeyFile.MaxFileBytes + 1]));
        Assert.Null(SealedKeyFile.TryRead(Encoding.UTF8.GetBytes(new string('[', 2000) + new string(']', 2000))));
    }

    [Fact]
    public async Task Identity_ExportThenImportOnAnotherBox_KeepsTheKey_AndWrongPassphraseFails()
    {
        await using var box = await WebBox.StartAsync(realKeyFiles: true);
        using var alice = await box.MemberAsync("alice", "alice's passphrase");
        var exported = await alice.Http.GetByteArrayAsync("/api/identities/me/export");
        Assert.True(SealedKeyFile.TryRead(exported)!.Iterations >= 600_000);

        // Sealed on disk: the key folder holds no plain seed.
        var onDisk = Directory.GetFiles(Path.Combine(box.DataFolder, "web", "keys"));
        Assert.Single(onDisk);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(onDisk[0]));
        }

        using var phone = box.Client();
        await phone.CsrfAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.Http.PostAsJsonAsync("/api/identities/unlock", new { publicKey = alice.PublicKey, passphrase = "guess guess" })).StatusCode);
        var unlocked = await phone.Http.PostAsJsonAsync("/api/identities/unlock", new { publicKey = alice.PublicKey, passphrase = "alice's passphrase" });
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
        Assert.Equal("alice", (await phone.Http.GetFromJsonAsync<MeDto>("/api/auth/me"))!.Name);

        await using var other = await WebBox.StartAsync();
        using var newcomer = other.Client();
        await newcomer.CsrfAsync();
        using (var wrong = Upload(exported, "not alice's passphrase"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await newcomer.Http.PostAsync("/api/identities/import", wrong)).StatusCode);
        }

        using (var right = Upload(exported, "alice's passphrase"))
        {
            var imported = await newcomer.Http.PostAsync("/api/identities/import", right);
            Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
            Assert.Equal(alice.PublicKey, (await imported.Content.ReadFromJsonAsync<IdentityDto>())!.PublicKey);
        }

        // Posting from the other box signs with the imported key.
        var id = await newcomer.PostAsync("town", "From the other box", "");
        var listing = await newcomer.Http.GetFromJsonAsync<ListingDto>("/api/posts?sort=new");
        Assert.Equal(alice.PublicKey, Assert.Single(listing!.Posts, p => p.Id == id).Author);
    }

    [Fact]
    public async Task Import_TakesTheClisKeyFile()
    {
        var key = Ed25519.Generate();
        var folder = Path.Combine(Path.GetTempPath(), "upseed-keys-" + Guid.NewGuid().ToString("N")[..8]);
        var path = new KeyDirectory(folder).Save(key);
        try
        {
            await using var box = await WebBox.StartAsync();
            using var client = box.Client();
            await client.CsrfAsync();
            using var upload = Upload(await File.ReadAllBytesAsync(path), "a new passphrase");
            var response = await client.Http.PostAsync("/api/identities/import", upload);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(key.PublicKeyHex, (await response.Content.ReadFromJsonAsync<IdentityDto>())!.PublicKey);
            Assert.Contains((await client.Http.GetFromJsonAsync<List<IdentityDto>>("/api/identities"))!, i => i.PublicKey == key.PublicKeyHex && i.Current);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static MultipartFormDataContent Upload(byte[] file, string passphrase) => new()
    {
        { new ByteArrayContent(file), "file", "key.upseed-key" },
        { new StringContent(passphrase), "passphrase" },
    };
}
