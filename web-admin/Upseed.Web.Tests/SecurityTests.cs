using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Upseed.Web.Tests;

public partial class SecurityTests
{
    [Fact]
    public async Task EveryAdminEndpoint_RejectsAnonymousAndMembers()
    {
        await using var box = await WebBox.StartAsync();
        using var anonymous = box.Client();
        await anonymous.CsrfAsync();
        using var member = await box.MemberAsync();
        var admin = Endpoints(box).Where(e => IsAdmin(e.Pattern)).ToList();

        // Every /api/admin endpoint the app maps (and every admin page), not a hand-kept list.
        Assert.True(admin.Count(e => e.Pattern.StartsWith("/api/admin", StringComparison.Ordinal)) >= 10);
        foreach (var (pattern, method, endpoint) in admin)
        {
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            Assert.True(policies.Contains(UpseedAuthenticationHandler.AdminPolicy), $"{method} {pattern} has no admin policy");
            var url = Fill(pattern);
            foreach (var (who, client) in new[] { ("anonymous", anonymous), ("member", member) })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = Body(endpoint, client.Csrf) };
                var response = await client.Http.SendAsync(request);
                var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.StartsWith("/admin/login", StringComparison.Ordinal));
                Assert.True(refused, $"{method} {url} as {who}: {(int)response.StatusCode}");
            }
        }

        // The admin gets through.
        using var boss = await box.AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await boss.Http.GetAsync("/api/admin/status")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await boss.Http.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task EveryStateChangingEndpoint_RefusesAMissingOrWrongCsrfToken()
    {
        await using var box = await WebBox.StartAsync();
        using var client = await box.AdminAsync();
        var member = await client.Http.PostAsJsonAsync("/api/identities", new { name = "both", passphrase = "both roles here" });
        Assert.Equal(HttpStatusCode.Created, member.StatusCode);
        var token = client.Csrf!;

        var unsafeEndpoints = Endpoints(box).Where(e => e.Method is "POST" or "PUT" or "PATCH" or "DELETE").ToList();
        Assert.True(unsafeEndpoints.Count >= 20);
        foreach (var (pattern, method, endpoint) in unsafeEndpoints)
        {
            Assert.NotNull(endpoint.Metadata.GetMetadata<WebEndpointMetadata>());
            var url = Fill(pattern);
            foreach (var presented in new string?[] { null, "wrong-token-wrong-token-wrong-token-wrongto" })
            {
                client.Http.DefaultRequestHeaders.Remove("X-CSRF-Token");
                if (presented is not null)
                {
                    client.Http.DefaultRequestHeaders.Add("X-CSRF-Token", presented);
                }

                // A body of the kind the endpoint reads (JSON or a form, whose field is then missing or wrong) is
                // refused before the handler runs.
                using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = Body(endpoint, presented) };
                var response = await client.Http.SendAsync(request);
                Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, $"{method} {url}: {(int)response.StatusCode}");
            }
        }

        // With the token, the session still works (nothing above logged it out).
        client.Http.DefaultRequestHeaders.Remove("X-CSRF-Token");
        client.Http.DefaultRequestHeaders.Add("X-CSRF-Token", token);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/api/admin/status")).StatusCode);
        using var formWithToken = new FormUrlEncodedContent(new Dictionary<string, string> { ["_csrf"] = token });
        client.Http.DefaultRequestHeaders.Remove("X-CSRF-Token");
        var logout = await client.Http.PostAsync("/admin/logout", formWithToken);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
    }

    [Fact]
    public async Task TheWeb_BindsToLoopbackByDefault()
    {
        Assert.Equal(IPAddress.Loopback, StandaloneWebHost.DefaultListen.Address);
        await using var box = await WebBox.StartAsync();
        var addresses = box.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Assert.All(addresses, a => Assert.StartsWith("http://127.0.0.1:", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pages_CarryAStrictCsp_AndNoInlineScriptOrStyle()
    {
        await using var box = await WebBox.StartAsync();
        using var admin = await box.AdminAsync();
        await admin.Http.PostAsJsonAsync("/api/identities", new { name = "carol", passphrase = "carol's passphrase" });
        var id = await admin.PostAsync("town", "Hello", "body");
        foreach (var path in new[] { "/", "/?sort=top&t=week", "/c/town", "/communities", "/search?q=he", "/p/" + id, "/me", "/submit", "/admin", "/admin/moderation", "/admin/settings", "/admin/identities", "/admin/logs" })
        {
            var response = await admin.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotMatch(InlineScript(), html);
            Assert.DoesNotMatch(EventHandlerAttribute(), html);
            Assert.DoesNotMatch(StyleAttributeOrElement(), html);
        }
    }

    [Fact]
    public async Task UserText_IsEncodedOnTheServer()
    {
        await using var box = await WebBox.StartAsync();
        using var member = await box.MemberAsync("<b>mallory</b>");
        const string title = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
        var id = await member.PostAsync("town", title, "<iframe src=javascript:alert(3)></iframe>");
        await member.Http.PostAsJsonAsync($"/api/posts/{id}/comments", new { body = "</textarea><svg onload=alert(4)>" });
        foreach (var path in new[] { "/", "/p/" + id, "/search?q=" + Uri.EscapeDataString("<script>") })
        {
            var html = await member.Http.GetStringAsync(path);
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<iframe", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<svg onload", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>mallory", html, StringComparison.Ordinal);
        }

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", await member.Http.GetStringAsync("/p/" + id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_IsRateLimited()
    {
        await using var box = await WebBox.StartAsync(o => o.AuthAttemptsPerMinute = 3);
        using var admin = await box.AdminAsync("the admin password");
        using var guesser = box.Client();
        await guesser.CsrfAsync();
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            codes.Add((await guesser.Http.PostAsJsonAsync("/api/auth/login", new { password = "guess " + i })).StatusCode);
        }

        // The setup counted as the first attempt from 127.0.0.1 in this window.
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, (HttpStatusCode)429, (HttpStatusCode)429, (HttpStatusCode)429], codes);
        Assert.Equal((HttpStatusCode)429, (await guesser.Http.PostAsJsonAsync("/api/auth/login", new { password = "the admin password" })).StatusCode);
    }

    [Fact]
    public async Task OpenRedirects_AreNotFollowed()
    {
        Assert.Equal("/", Page.SafeReturn("//evil.example/"));
        Assert.Equal("/", Page.SafeReturn("https://evil.example/"));
        Assert.Equal("/", Page.SafeReturn("/\\evil.example"));
        Assert.Equal("/p/abc", Page.SafeReturn("/p/abc"));
        await using var box = await WebBox.StartAsync();
        using var client = box.Client();
        var token = await client.CsrfAsync();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_csrf"] = token, ["name"] = "dave", ["passphrase"] = "dave's passphrase", ["return"] = "//evil.example/",
        });
        var response = await client.Http.PostAsync("/me/create", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    internal static IEnumerable<(string Pattern, string Method, RouteEndpoint Endpoint)> Endpoints(WebBox box) =>
        box.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => ("/" + e.RoutePattern.RawText!.TrimStart('/'), m, e)));

    /// <summary>A JSON body, or a form (with the CSRF field when given) for endpoints that read forms.</summary>
    private static HttpContent Body(RouteEndpoint endpoint, string? csrf)
    {
        var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? [];
        if (!accepts.Any(t => t.Contains("form", StringComparison.Ordinal)))
        {
            return JsonContent.Create(new { value = 1, password = "x" });
        }

        var fields = new Dictionary<string, string> { ["value"] = "1" };
        if (csrf is not null)
        {
            fields["_csrf"] = csrf;
        }

        if (!accepts.Contains("application/x-www-form-urlencoded"))
        {
            var multipart = new MultipartFormDataContent();
            foreach (var (name, value) in fields)
            {
                multipart.Add(new StringContent(value), name);
            }

            multipart.Add(new ByteArrayContent("not a key"u8.ToArray()), "file", "key.upseed-key");
            return multipart;
        }

        return new FormUrlEncodedContent(fields);
    }

    private static bool IsAdmin(string pattern) =>
        pattern.StartsWith("/api/admin", StringComparison.Ordinal)
        || (pattern.StartsWith("/admin", StringComparison.Ordinal) && pattern is not ("/admin/setup" or "/admin/login" or "/admin/logout"));

    private static string Fill(string pattern) => RouteParameter().Replace(pattern, m => m.Value.Contains("key", StringComparison.Ordinal)
        ? new string('a', 64)
        : m.Value.Contains("id", StringComparison.Ordinal) ? new string('b', 40) : "x");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<[^>]+\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();

    [GeneratedRegex(@"<style|<[^>]+\sstyle\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttributeOrElement();
}
