using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Upseed.Web.Tests;

public class ApiTests
{
    [Fact]
    public async Task OpenApi_DocumentListsTheApiGroups()
    {
        await using var box = await WebBox.StartAsync();
        using var client = box.Client();
        var document = await client.Http.GetStringAsync("/openapi/v1.json");
        using var json = JsonDocument.Parse(document);
        var paths = json.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/admin/status", paths);
        Assert.Contains("/api/posts", paths);
        Assert.Contains("/api/posts/{id}/vote", paths);
        Assert.Contains("/api/identities", paths);
        Assert.Contains("/api/auth/login", paths);
        Assert.DoesNotContain(paths, p => !p.StartsWith("/api/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Setup_NeedsTheLoggedCode_ThenLoginWorks()
    {
        await using var box = await WebBox.StartAsync();
        using var client = box.Client();
        await client.CsrfAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.Http.GetAsync("/api/admin/status")).StatusCode);

        var wrong = await client.Http.PostAsJsonAsync("/api/auth/setup", new { code = "AAAAA-AAAAA", password = "long enough pw" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var weak = await client.Http.PostAsJsonAsync("/api/auth/setup", new { code = box.SetupCode, password = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);

        var setup = await client.Http.PostAsJsonAsync("/api/auth/setup", new { code = box.SetupCode.ToLowerInvariant(), password = "long enough pw" });
        Assert.Equal(HttpStatusCode.NoContent, setup.StatusCode);
        var cookie = setup.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("upseed_admin=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/api/admin/status")).StatusCode);

        // The hash is PBKDF2-SHA256 with at least 600,000 iterations.
        var stored = box.Store.GetSetting(AdminAccount.PasswordSetting)!;
        Assert.StartsWith("pbkdf2-sha256$", stored, StringComparison.Ordinal);
        Assert.True(PasswordHash.IterationsOf(stored) >= 600_000);

        using var again = box.Client();
        await again.CsrfAsync();
        Assert.Equal(HttpStatusCode.Conflict, (await again.Http.PostAsJsonAsync("/api/auth/setup", new { code = box.SetupCode, password = "another password" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.Http.PostAsJsonAsync("/api/auth/login", new { password = "wrong password" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await again.Http.PostAsJsonAsync("/api/auth/login", new { password = "long enough pw" })).StatusCode);
        var status = await again.Http.GetFromJsonAsync<JsonElement>("/api/admin/status");
        Assert.True(status.GetProperty("slots").GetArrayLength() >= 5);
    }

    [Fact]
    public async Task Member_PostsCommentsVotes_AndSeesThePostInTopDay()
    {
        await using var box = await WebBox.StartAsync();
        using var alice = await box.MemberAsync("alice");
        using var bob = await box.MemberAsync("bob", "bob's passphrase");
        var id = await alice.PostAsync("gardening", "First tomatoes", "Planted on Sunday.\nLine two.");

        var comment = await bob.Http.PostAsJsonAsync($"/api/posts/{id}/comments", new { body = "Nice!" });
        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        var commentId = (await comment.Content.ReadFromJsonAsync<CreatedDto>())!.Id;
        var reply = await alice.Http.PostAsJsonAsync($"/api/posts/{commentId}/comments", new { body = "Thanks" });
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);

        var vote = await bob.Http.PostAsJsonAsync($"/api/posts/{id}/vote", new { value = 1 });
        Assert.Equal(HttpStatusCode.OK, vote.StatusCode);
        var result = await vote.Content.ReadFromJsonAsync<VoteResultDto>();
        Assert.Equal(1, result!.Score);
        Assert.True(result.Seeding);
        Assert.Contains(box.Store.Pins(Metainfo.InfoHash.Parse(id)), p => p.Reason == "upvote");

        var top = await bob.Http.GetFromJsonAsync<ListingDto>("/api/posts?sort=top&t=day");
        var listed = Assert.Single(top!.Posts);
        Assert.Equal(id, listed.Id);
        Assert.Equal(1, listed.Score);
        Assert.Equal(1, listed.MyVote);
        Assert.Equal(2, listed.Comments);
        Assert.StartsWith("magnet:?xt=urn:btih:" + id, listed.Magnet, StringComparison.Ordinal);

        var thread = await alice.Http.GetFromJsonAsync<ThreadDto>($"/api/posts/{id}");
        Assert.Equal("Planted on Sunday.\nLine two.", thread!.Body);
        var first = Assert.Single(thread.Comments);
        Assert.Equal("Nice!", first.Body);
        Assert.Equal("bob", first.AuthorName);
        Assert.Equal("Thanks", Assert.Single(first.Replies).Body);

        // Downvote: score -1, the upvote pin goes.
        var down = await bob.Http.PostAsJsonAsync($"/api/posts/{id}/vote", new { value = -1 });
        Assert.Equal(-1, (await down.Content.ReadFromJsonAsync<VoteResultDto>())!.Score);
        Assert.DoesNotContain(box.Store.Pins(Metainfo.InfoHash.Parse(id)), p => p.Reason == "upvote");

        var communities = await alice.Http.GetFromJsonAsync<List<CommunityDto>>("/api/communities");
        Assert.Equal("gardening", Assert.Single(communities!).Name);
        var search = await alice.Http.GetFromJsonAsync<ListingDto>("/api/posts?q=tomato&sort=new");
        Assert.Single(search!.Posts);
        var none = await alice.Http.GetFromJsonAsync<ListingDto>("/api/posts?q=cucumber&sort=new");
        Assert.Empty(none!.Posts);
    }

    [Fact]
    public async Task Posting_WithoutAnIdentity_IsUnauthorized_AndBadTextIsAValidationProblem()
    {
        await using var box = await WebBox.StartAsync();
        using var anonymous = box.Client();
        await anonymous.CsrfAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Http.PostAsJsonAsync("/api/posts", new { community = "a", title = "t", body = "b" })).StatusCode);

        using var member = await box.MemberAsync();
        var badCommunity = await member.Http.PostAsJsonAsync("/api/posts", new { community = "Not A Slug", title = "t", body = "b" });
        Assert.Equal(HttpStatusCode.BadRequest, badCommunity.StatusCode);
        var control = await member.Http.PostAsJsonAsync("/api/posts", new { community = "a", title = "bell\u0007", body = "b" });
        Assert.Equal(HttpStatusCode.BadRequest, control.StatusCode);
        var problem = await control.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("post", out _));
    }

    [Fact]
    public async Task Pagination_PagesThroughNewestFirst()
    {
        await using var box = await WebBox.StartAsync(o => o.PageSize = 3);
        using var member = await box.MemberAsync();
        for (var i = 0; i < 7; i++)
        {
            await member.PostAsync("paging", $"post {i}", "");
        }

        var titles = new List<string>();
        for (var page = 0; ; page++)
        {
            var listing = await member.Http.GetFromJsonAsync<ListingDto>($"/api/posts?sort=new&page={page}");
            titles.AddRange(listing!.Posts.Select(p => p.Title!));
            if (!listing.HasMore)
            {
                break;
            }
        }

        Assert.Equal(7, titles.Distinct().Count());
    }

    [Fact]
    public async Task HidingAnAuthor_RemovesTheirPostsFromListingsAndThreads()
    {
        await using var box = await WebBox.StartAsync();
        using var spammer = await box.MemberAsync("spammer");
        using var alice = await box.MemberAsync("alice");
        var spam = await spammer.PostAsync("town", "Buy now", "spam");
        var good = await alice.PostAsync("town", "Market on Saturday", "bring bags");
        using var admin = await box.AdminAsync();

        var hide = await admin.Http.PostAsJsonAsync("/api/admin/hidden", new { kind = "author", key = spammer.PublicKey, reason = "spam" });
        Assert.Equal(HttpStatusCode.NoContent, hide.StatusCode);
        var listing = await alice.Http.GetFromJsonAsync<ListingDto>("/api/posts?sort=new");
        Assert.Equal(good, Assert.Single(listing!.Posts).Id);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Http.GetAsync($"/api/posts/{spam}")).StatusCode);
        var hidden = await admin.Http.GetFromJsonAsync<List<HiddenDto>>("/api/admin/hidden");
        Assert.Equal("spam", Assert.Single(hidden!).Reason);

        // A hidden post is no longer seeded from this box.
        var hidePost = await admin.Http.PostAsJsonAsync("/api/admin/hidden", new { kind = "post", key = good, reason = "off-topic" });
        Assert.Equal(HttpStatusCode.NoContent, hidePost.StatusCode);
        Assert.Empty(box.Store.Pins(Metainfo.InfoHash.Parse(good)));
        Assert.Empty((await alice.Http.GetFromJsonAsync<ListingDto>("/api/posts?sort=new"))!.Posts);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.DeleteAsync($"/api/admin/hidden/{spammer.PublicKey}")).StatusCode);
        Assert.Equal(spam, Assert.Single((await alice.Http.GetFromJsonAsync<ListingDto>("/api/posts?sort=new"))!.Posts).Id);
    }

    [Fact]
    public async Task Settings_OnlyKnownKeysAreEditable()
    {
        await using var box = await WebBox.StartAsync();
        using var admin = await box.AdminAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PutAsJsonAsync("/api/admin/settings", new { key = "pow.post.gardening", value = "12" })).StatusCode);
        Assert.Equal("12", box.Store.GetSetting("pow.post.gardening"));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Http.PutAsJsonAsync("/api/admin/settings", new { key = "pow.post", value = "99" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Http.PutAsJsonAsync("/api/admin/settings", new { key = AdminAccount.PasswordSetting, value = "x" })).StatusCode);
        var settings = await admin.Http.GetFromJsonAsync<List<SettingDto>>("/api/admin/settings");
        Assert.DoesNotContain(settings!, s => s.Key == AdminAccount.PasswordSetting);
    }

    [Fact]
    public async Task Logs_AreKeptForTheAdmin()
    {
        await using var box = await WebBox.StartAsync();
        using var admin = await box.AdminAsync();
        var logs = await admin.Http.GetFromJsonAsync<List<LogEntryDto>>("/api/admin/logs");
        Assert.Contains(logs!, l => l.Message.Contains("setup code", StringComparison.Ordinal));
        Assert.Contains(logs!, l => l.Message.Contains("password set", StringComparison.Ordinal));
    }
}
