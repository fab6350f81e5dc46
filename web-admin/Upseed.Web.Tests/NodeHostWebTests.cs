using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Upseed.Node;

namespace Upseed.Web.Tests;

/// <summary><c>upseed node</c> serves the board and admin next to <c>/healthz</c>, on loopback unless told otherwise.</summary>
public class NodeHostWebTests
{
    [Fact]
    public async Task TheNode_ServesTheBoardAndAdmin_OnLoopbackByDefault()
    {
        Assert.Equal(IPAddress.Loopback, new NodeOptions { DataFolder = "x" }.Web.Address);
        var folder = Path.Combine(Path.GetTempPath(), "upseed-node-web-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new NodeOptions
        {
            DataFolder = folder,
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Web = new IPEndPoint(IPAddress.Loopback, 0),
            Dht = false,
            Lsd = false,
        };
        var logs = new CapturedLogs();
        await using var app = NodeHost.Build(options, logging => logging.AddProvider(logs));
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
            Assert.Contains("All communities", await http.GetStringAsync("/"), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/admin/status")).StatusCode);

            var line = logs.Messages.Single(m => m.Contains("setup code:", StringComparison.Ordinal));
            var code = line[(line.IndexOf("code: ", StringComparison.Ordinal) + 6)..].Split(' ')[0];
            var csrf = await http.GetFromJsonAsync<CsrfDto>("/api/auth/csrf");
            http.DefaultRequestHeaders.Add("X-CSRF-Token", csrf!.Token);
            Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsJsonAsync("/api/auth/setup", new { code, password = "node admin password" })).StatusCode);
            var status = await http.GetFromJsonAsync<JsonElement>("/api/admin/status");
            Assert.True(status.GetProperty("node").TryGetProperty("seeding.connections", out _));
            var engine = status.GetProperty("slots").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Seeding engine");
            Assert.True(engine.GetProperty("available").GetBoolean());
        }
        finally
        {
            await app.StopAsync();
            Directory.Delete(folder, recursive: true);
        }
    }
}
