using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Upseed.Web.Tests;

/// <summary>The board and admin in a real browser: Debian's Chromium, headless, through Playwright.</summary>
[Collection(BrowserCollection.Name)]
public class BrowserTests(BrowserFixture fixture)
{
    private const int Timeout = 30_000;

    [Fact]
    public async Task FirstRunSetup_WithTheCodeFromTheLog()
    {
        await using var box = await WebBox.StartAsync();
        var page = await NewPageAsync(box);
        await page.GotoAsync("/admin");
        Assert.EndsWith("/admin/setup", page.Url, StringComparison.Ordinal);

        await page.FillAsync("input[name=code]", "WRONG-CODE1");
        await page.FillAsync("input[name=password]", "a strong admin password");
        await page.ClickAsync("form.setup button[type=submit]");
        Assert.Contains("not the one in the box's log", await page.TextContentAsync("p.error") ?? "", StringComparison.Ordinal);

        await page.FillAsync("input[name=code]", box.SetupCode);
        await page.FillAsync("input[name=password]", "a strong admin password");
        await page.ClickAsync("form.setup button[type=submit]");
        await page.WaitForURLAsync("**/admin");
        Assert.Equal("Dashboard", await page.TextContentAsync("main h1"));
        Assert.True(await page.Locator(".slots li").CountAsync() >= 5);
        Assert.Contains("MQTT uplink", await page.TextContentAsync(".slots") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Member_PostsCommentsUpvotes_AndSeesThePostInTopDay()
    {
        await using var box = await WebBox.StartAsync();
        using var other = await box.MemberAsync("grace", "grace's passphrase");
        var page = await NewPageAsync(box);
        await page.GotoAsync("/submit");
        Assert.Contains("/me?return=", page.Url, StringComparison.Ordinal);

        await page.FillAsync("form.create input[name=name]", "heidi");
        await page.FillAsync("form.create input[name=passphrase]", "heidi's passphrase");
        await page.ClickAsync("form.create button[type=submit]");
        await page.WaitForURLAsync("**/submit");

        await page.FillAsync("input[name=community]", "kitchen");
        await page.FillAsync("input[name=title]", "Sourdough starter to share");
        await page.FillAsync("textarea[name=body]", "Fed daily.\nCome by with a jar.");
        await page.ClickAsync("form.compose button[type=submit]");
        await page.WaitForURLAsync("**/p/*");
        Assert.Equal("Sourdough starter to share", await page.TextContentAsync("h1.title"));

        await page.FillAsync("form.comment textarea[name=body]", "I'd love some!");
        await page.ClickAsync("form.comment button[type=submit]");
        await page.WaitForSelectorAsync(".comment .text");
        Assert.Equal("I'd love some!", await page.TextContentAsync(".comment .text"));

        // Grace's post gets an upvote from the listing: the score changes in place, without a page load.
        var graceId = await other.PostAsync("kitchen", "Spare jars", "");
        await page.GotoAsync("/c/kitchen?sort=new");
        var grace = page.Locator($"#p-{graceId}");
        var navigations = 0;
        page.FrameNavigated += (_, _) => navigations++;
        await grace.Locator("form.up button").ClickAsync();
        await Assertions.Expect(grace.Locator(".score")).ToHaveTextAsync("1", new() { Timeout = Timeout });
        await Assertions.Expect(grace.Locator("form.up button")).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal(0, navigations);

        await page.GotoAsync("/?sort=top&t=day");
        var top = page.Locator("article.post .title");
        Assert.Equal(["Spare jars", "Sourdough starter to share"], await top.AllTextContentsAsync());
        Assert.Equal("1", await page.Locator($"#p-{graceId} .score").TextContentAsync());
        Assert.True(box.Store.IsPinned(Metainfo.InfoHash.Parse(graceId)));
    }

    [Fact]
    public async Task AdminHidesAnAuthor_AndThePostDisappears()
    {
        await using var box = await WebBox.StartAsync();
        using var spammer = await box.MemberAsync("spammer", "spammer's passphrase");
        await spammer.PostAsync("town", "Cheap watches here", "");
        var page = await NewPageAsync(box);
        await page.GotoAsync("/");
        Assert.Equal(1, await page.Locator("article.post").CountAsync());

        await page.GotoAsync("/admin/setup");
        await page.FillAsync("input[name=code]", box.SetupCode);
        await page.FillAsync("input[name=password]", "a strong admin password");
        await page.ClickAsync("form.setup button[type=submit]");
        await page.WaitForURLAsync("**/admin");
        await page.GotoAsync("/admin/moderation");
        await page.SelectOptionAsync("select[name=kind]", "author");
        await page.FillAsync("form.hide input[name=key]", spammer.PublicKey!);
        await page.FillAsync("form.hide input[name=reason]", "spam");
        await page.ClickAsync("form.hide button[type=submit]");
        await page.WaitForSelectorAsync(".hidden-list li");
        Assert.Contains("spammer", await page.TextContentAsync(".hidden-list li") ?? "", StringComparison.Ordinal);

        await page.GotoAsync("/");
        Assert.Equal(0, await page.Locator("article.post").CountAsync());
        Assert.DoesNotContain("Cheap watches", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task XssPayloads_RenderAsInertText()
    {
        await using var box = await WebBox.StartAsync();
        using var mallory = await box.MemberAsync("<img src=x onerror=alert('name')>", "mallory's passphrase");
        const string title = "<script>alert('title')</script><img src=x onerror=alert('img')>\"><svg onload=alert(1)>";
        const string body = "</div><script>alert('body')</script>\n<a href=\"javascript:alert('link')\">click</a>\n<iframe src=\"javascript:alert(2)\"></iframe>{{constructor.constructor('alert(3)')()}}";
        var id = await mallory.PostAsync("town", title, body);
        var comment = await mallory.Http.PostAsJsonAsync($"/api/posts/{id}/comments", new { body = "<style>*{display:none}</style><b onmouseover=alert(4)>hover</b>" });
        comment.EnsureSuccessStatusCode();

        var page = await NewPageAsync(box);
        var dialogs = 0;
        page.Dialog += async (_, dialog) =>
        {
            dialogs++;
            await dialog.DismissAsync();
        };
        await page.GotoAsync("/");
        Assert.Equal(title, await page.TextContentAsync("article.post .title"));
        Assert.Equal("<img src=x onerror=alert('name')>", await page.TextContentAsync("article.post .author"));

        await page.GotoAsync("/p/" + id);
        Assert.Equal(title, await page.TextContentAsync("h1.title"));
        Assert.Equal(body, await page.TextContentAsync("article .text"));
        Assert.Equal("<style>*{display:none}</style><b onmouseover=alert(4)>hover</b>", await page.TextContentAsync(".comment .text"));
        await page.HoverAsync(".comment .text");
        Assert.True(await page.Locator("h1.title").IsVisibleAsync());
        Assert.Equal(0, await page.Locator("main script, main img, main iframe, main svg:not(.chart svg), main b, main style").CountAsync());
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task PhoneViewport_Screenshot()
    {
        await using var box = await WebBox.StartAsync();
        using var member = await box.MemberAsync("ivan", "ivan's passphrase");
        var first = await member.PostAsync("gardening", "First tomatoes of the year, and how I kept the slugs off", "Copper tape.");
        await member.PostAsync("gardening", "Seed swap on Saturday", "");
        await member.PostAsync("bikes", "Who has a spare inner tube (26 inch)?", "");
        await member.Http.PostAsJsonAsync($"/api/posts/{first}/vote", new { value = 1 });
        await member.Http.PostAsJsonAsync($"/api/posts/{first}/comments", new { body = "Beer traps work too." });

        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = box.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Timeout);
        await page.GotoAsync("/");
        var listing = Path.Combine(BrowserFixture.ArtifactsFolder, "board-phone-390x844.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = listing });
        await page.GotoAsync("/p/" + first);
        var thread = Path.Combine(BrowserFixture.ArtifactsFolder, "thread-phone-390x844.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = thread });

        // Nothing is wider than the phone's screen.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 390"));
        Assert.True(new FileInfo(listing).Length > 1000);
        Assert.True(new FileInfo(thread).Length > 1000);
        await context.CloseAsync();
    }

    private async Task<IPage> NewPageAsync(WebBox box)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = box.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Timeout);
        return page;
    }
}
