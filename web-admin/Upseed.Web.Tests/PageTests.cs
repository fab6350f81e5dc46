using System.Net;
using System.Text.RegularExpressions;

namespace Upseed.Web.Tests;

/// <summary>The board works with plain HTML forms (no script): unlock, post, comment, vote, hide.</summary>
public partial class PageTests
{
    [Fact]
    public async Task WithoutScript_AMemberPostsCommentsAndVotes_ThroughForms()
    {
        await using var box = await WebBox.StartAsync();
        using var browser = box.Client();
        var me = await browser.Http.GetStringAsync("/me");
        var token = CsrfField().Match(me).Groups[1].Value;
        Assert.Equal(43, token.Length);

        var created = await browser.Http.PostAsync("/me/create", Form(token, ("name", "erin"), ("passphrase", "erin's passphrase"), ("return", "/submit")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/submit", created.Headers.Location!.OriginalString);

        var posted = await browser.Http.PostAsync("/submit", Form(token, ("community", "bikes"), ("title", "Flat tyre"), ("body", "Any tips?\r\nThanks")));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var thread = posted.Headers.Location!.OriginalString;
        var id = thread["/p/".Length..];

        var commented = await browser.Http.PostAsync(thread + "/comment", Form(token, ("body", "Use a patch kit")));
        Assert.Equal(HttpStatusCode.Redirect, commented.StatusCode);
        var voted = await browser.Http.PostAsync(thread + "/vote", Form(token, ("value", "1"), ("return", "/")));
        Assert.Equal(HttpStatusCode.Redirect, voted.StatusCode);

        var page = await browser.Http.GetStringAsync(thread);
        Assert.Contains("Flat tyre", page, StringComparison.Ordinal);
        Assert.Contains("Any tips?\nThanks", page, StringComparison.Ordinal);
        Assert.Contains("Use a patch kit", page, StringComparison.Ordinal);
        Assert.Contains("magnet:?xt=urn:btih:" + id, page, StringComparison.Ordinal);
        Assert.Contains("<span class=\"score\" title=\"score\">1</span>", page, StringComparison.Ordinal);

        var topDay = await browser.Http.GetStringAsync("/?sort=top&t=day");
        Assert.Contains("Flat tyre", topDay, StringComparison.Ordinal);
        Assert.Contains("seeding", topDay, StringComparison.Ordinal);
        Assert.Contains("c/bikes", await browser.Http.GetStringAsync("/communities"), StringComparison.Ordinal);
        Assert.Contains("Flat tyre", await browser.Http.GetStringAsync("/search?q=tyre"), StringComparison.Ordinal);
        Assert.DoesNotContain("Flat tyre", await browser.Http.GetStringAsync("/search?q=unicycle"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_ForMembersAndAdmins_SendOthersToUnlockOrLogin()
    {
        await using var box = await WebBox.StartAsync();
        using var browser = box.Client();
        var submit = await browser.Http.GetAsync("/submit");
        Assert.Equal(HttpStatusCode.Redirect, submit.StatusCode);
        Assert.StartsWith("/me?return=", submit.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("/admin/setup", (await browser.Http.GetAsync("/admin/login")).Headers.Location!.OriginalString);
        var admin = await browser.Http.GetAsync("/admin/logs");
        Assert.StartsWith("/admin/login?return=", admin.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstLoad_IsUnder150KB()
    {
        await using var box = await WebBox.StartAsync();
        using var member = await box.MemberAsync();
        for (var i = 0; i < 25; i++)
        {
            await member.PostAsync("sizes", $"A post with a title of ordinary length, number {i}", "");
        }

        using var browser = box.Client();
        var html = await browser.Http.GetByteArrayAsync("/");
        var text = System.Text.Encoding.UTF8.GetString(html);
        long total = html.Length;
        foreach (Match link in AssetLink().Matches(text))
        {
            total += (await browser.Http.GetByteArrayAsync(WebUtilityDecode(link.Groups[1].Value))).Length;
        }

        Assert.Equal(2, AssetLink().Count(text));
        Assert.True(total < 150 * 1024, $"first load {total} bytes");
    }

    private static string WebUtilityDecode(string value) => WebUtility.HtmlDecode(value);

    private static FormUrlEncodedContent Form(string token, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).Append(KeyValuePair.Create("_csrf", token)));

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    [GeneratedRegex("(?:href|src)=\"(/static/[^\"]+)\"")]
    private static partial Regex AssetLink();
}
