namespace Upseed.Mqtt.Tests;

/// <summary>A CA, a server certificate for 127.0.0.1/localhost signed by it, and an unrelated second CA, made with openssl.</summary>
internal sealed class TestCertificates : IDisposable
{
    private TestCertificates(string folder)
    {
        Folder = folder;
    }

    public string Folder { get; }

    public string Ca => Path.Combine(Folder, "ca.pem");

    public string OtherCa => Path.Combine(Folder, "other-ca.pem");

    public string ServerCertificate => Path.Combine(Folder, "server.pem");

    public string ServerKey => Path.Combine(Folder, "server.key");

    public static async Task<TestCertificates> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "upseed-mqtt-tests", "certs-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var certificates = new TestCertificates(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n");
        string[][] steps =
        [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=upseed test CA"],
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "other-ca.key", "-out", "other-ca.pem", "-days", "2", "-subj", "/CN=some other CA"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf"],
        ];
        foreach (var step in steps)
        {
            var result = await ProcessRunner.RunAsync("/bin/sh", ["-c", $"cd '{folder}' && openssl \"$@\"", "sh", .. step]);
            Assert.True(result.ExitCode == 0, result.Describe());
        }

        return certificates;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Leftover temp files must not fail the test.
        }
    }
}
