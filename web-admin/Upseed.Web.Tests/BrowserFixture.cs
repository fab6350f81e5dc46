using Microsoft.Playwright;

namespace Upseed.Web.Tests;

/// <summary>
/// One headless Debian Chromium (<c>/usr/bin/chromium</c>) for the browser tests, driven by Playwright. No browser is
/// ever downloaded: the executable path is given, and each test gets a fresh context (its own cookies).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots go here, under the test output folder.</summary>
    public static string ArtifactsFolder { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ArtifactsFolder);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in a container has no user namespace sandbox; the pages are our own, on loopback.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            Timeout = 60_000,
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
