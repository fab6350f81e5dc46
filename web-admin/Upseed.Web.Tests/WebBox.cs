using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Upseed.Store;

namespace Upseed.Web.Tests;

/// <summary>
/// A real web host (Kestrel on 127.0.0.1, a free port) over a fresh data folder, as <c>upseed node</c> serves it.
/// Proof of work is lowered in the folder's settings so tests spend their time on the web, not on hashing.
/// </summary>
public sealed class WebBox : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebBox(WebApplication app, string folder, CapturedLogs logs)
    {
        _app = app;
        DataFolder = folder;
        Logs = logs;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    public Uri BaseAddress { get; }

    public string DataFolder { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _app.Services;

    public WebApplication App => _app;

    public RecordStore Store => _app.Services.GetRequiredService<RecordStore>();

    /// <summary>The setup code, read from the box's log as an admin would.</summary>
    public string SetupCode
    {
        get
        {
            var line = Logs.Messages.Last(m => m.Contains("setup code:", StringComparison.Ordinal));
            var start = line.IndexOf("code: ", StringComparison.Ordinal) + 6;
            return line[start..line.IndexOf(' ', start)];
        }
    }

    /// <summary>
    /// Starts a box. Members' key files use 10,000 PBKDF2 iterations here (the default suite makes dozens of
    /// identities); the admin password keeps the real 600,000, and one test checks key files at the default.
    /// </summary>
    public static async Task<WebBox> StartAsync(Action<WebOptions>? configure = null, int work = 4, bool realKeyFiles = false)
    {
        var folder = Path.Combine(Path.GetTempPath(), "upseed-web-" + Guid.NewGuid().ToString("N")[..12]);
        using (var store = RecordStore.Open(folder))
        {
            store.SetSetting("pow.identity", work.ToString(System.Globalization.CultureInfo.InvariantCulture));
            store.SetSetting("pow.post", work.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var logs = new CapturedLogs();
        var app = StandaloneWebHost.Build(folder, new IPEndPoint(IPAddress.Loopback, 0), options =>
        {
            if (!realKeyFiles)
            {
                options.AllowWeakKeyFilesForTests = true;
                options.KeyFileIterations = 10_000;
            }

            configure?.Invoke(options);
        }, logging => logging.AddProvider(logs));
        await app.StartAsync();
        return new WebBox(app, folder, logs);
    }

    /// <summary>A client with its own cookie jar (one browser), not following redirects.</summary>
    public WebClient Client() => new(new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    });

    /// <summary>Sets up the admin password with the logged code and returns a client logged in as the admin.</summary>
    public async Task<WebClient> AdminAsync(string password = "correct horse battery")
    {
        var client = Client();
        await client.CsrfAsync();
        var response = await client.Http.PostAsJsonAsync("/api/auth/setup", new { code = SetupCode, password });
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            response = await client.Http.PostAsJsonAsync("/api/auth/login", new { password });
        }

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return client;
    }

    /// <summary>A client unlocked as a new member identity.</summary>
    public async Task<WebClient> MemberAsync(string name = "alice", string passphrase = "garden tomatoes")
    {
        var client = Client();
        await client.CsrfAsync();
        var response = await client.Http.PostAsJsonAsync("/api/identities", new { name, passphrase });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var identity = await response.Content.ReadFromJsonAsync<IdentityDto>();
        client.PublicKey = identity!.PublicKey;
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a finishing request; the temp folder is cleaned by the OS.
        }
    }
}

public sealed class WebClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public string? PublicKey { get; set; }

    public string? Csrf { get; private set; }

    /// <summary>Fetches the CSRF token (the cookie comes with it) and sends it on every later request.</summary>
    public async Task<string> CsrfAsync()
    {
        var token = await Http.GetFromJsonAsync<CsrfDto>("/api/auth/csrf");
        Csrf = token!.Token;
        Http.DefaultRequestHeaders.Remove("X-CSRF-Token");
        Http.DefaultRequestHeaders.Add("X-CSRF-Token", Csrf);
        return Csrf;
    }

    public async Task<string> PostAsync(string community, string title, string body)
    {
        var response = await Http.PostAsJsonAsync("/api/posts", new { community, title, body });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedDto>())!.Id;
    }

    public void Dispose() => Http.Dispose();
}

/// <summary>Keeps every log line the box writes, for tests that read the log as an admin would.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._messages)
            {
                owner._messages.Add(formatter(state, exception));
            }
        }
    }
}
