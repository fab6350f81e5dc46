using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Upseed.Metainfo;
using Upseed.Store;

namespace Upseed.Web;

/// <summary>
/// The admin's pages: first-run setup (with the code from the log), login, dashboard with charts, moderation,
/// policy and settings, identities, logs. Everything but setup and login requires the admin role (set on the group).
/// </summary>
internal static class AdminPages
{
    public static void MapAdminPages(this IEndpointRouteBuilder routes)
    {
        var open = routes.MapGroup("/admin").ExcludeFromDescription();
        open.MapGet("/setup", SetupForm).WithName("page-admin-setup");
        open.MapPost("/setup", Setup).WithName("form-admin-setup").RequireRateLimiting(WebServices.AuthRateLimit);
        open.MapGet("/login", LoginForm).WithName("page-admin-login");
        open.MapPost("/login", Login).WithName("form-admin-login").RequireRateLimiting(WebServices.AuthRateLimit);
        open.MapPost("/logout", Logout).WithName("form-admin-logout");

        var admin = routes.MapGroup("/admin").ExcludeFromDescription().RequireAuthorization(UpseedAuthenticationHandler.AdminPolicy);
        admin.MapGet("", Dashboard).WithName("page-admin-dashboard");
        admin.MapGet("/moderation", Moderation).WithName("page-admin-moderation");
        admin.MapPost("/moderation/hide", Hide).WithName("form-admin-hide");
        admin.MapPost("/moderation/unhide", Unhide).WithName("form-admin-unhide");
        admin.MapGet("/settings", Settings).WithName("page-admin-settings");
        admin.MapPost("/settings", SaveSetting).WithName("form-admin-setting");
        admin.MapPost("/password", ChangePassword).WithName("form-admin-password");
        admin.MapGet("/identities", Identities).WithName("page-admin-identities");
        admin.MapPost("/identities/remove", RemoveIdentity).WithName("form-admin-identity-remove");
        admin.MapGet("/logs", Logs).WithName("page-admin-logs");
    }

    public static void SignIn(HttpContext context, SessionStore sessions)
    {
        sessions.End(context.Request.Cookies[WebCookies.Admin]);
        WebCookies.Set(context, WebCookies.Admin, sessions.StartAdmin());
    }

    internal static IResult SetupForm(HttpContext context, AdminAccount account) =>
        account.IsSetUp ? TypedResults.Redirect("/admin/login") : SetupPage(context, null, StatusCodes.Status200OK);

    internal static IResult Setup(HttpContext context, AdminAccount account, SessionStore sessions, [FromForm] string? code, [FromForm] string? password)
    {
        var outcome = account.TrySetUp(code, password);
        switch (outcome)
        {
            case SetupOutcome.Done:
                SignIn(context, sessions);
                return TypedResults.Redirect("/admin");
            case SetupOutcome.AlreadySetUp:
                return TypedResults.Redirect("/admin/login");
            default:
                return SetupPage(context, outcome == SetupOutcome.WrongCode
                    ? "That setup code is not the one in the box's log."
                    : $"The password needs at least {AdminAccount.MinimumPasswordLength} characters.", StatusCodes.Status400BadRequest);
        }
    }

    internal static IResult LoginForm(HttpContext context, AdminAccount account, string? @return) =>
        account.IsSetUp ? LoginPage(context, @return, null, StatusCodes.Status200OK) : TypedResults.Redirect("/admin/setup");

    internal static IResult Login(HttpContext context, AdminAccount account, SessionStore sessions, [FromForm] string? password, [FromForm(Name = "return")] string? returnTo)
    {
        if (!account.CheckPassword(password))
        {
            return LoginPage(context, returnTo, "Wrong password.", StatusCodes.Status400BadRequest);
        }

        SignIn(context, sessions);
        var back = Page.SafeReturn(returnTo);
        return TypedResults.Redirect(back == "/" ? "/admin" : back);
    }

    internal static RedirectHttpResult Logout(HttpContext context, SessionStore sessions)
    {
        sessions.End(context.Request.Cookies[WebCookies.Admin]);
        WebCookies.Delete(context, WebCookies.Admin);
        return TypedResults.Redirect("/");
    }

    internal static ContentHttpResult Dashboard(HttpContext context, AdminStatus status, MetricsHistory history)
    {
        var now = status.Current();
        return Page.Render(context, "Admin", html =>
        {
            html.Raw("<h1>Dashboard</h1><div class=\"tiles\">");
            Tile(html, "Records", SvgChart.Count(now.Records));
            Tile(html, "Posts and comments", SvgChart.Count(now.Posts));
            Tile(html, "Identities", SvgChart.Count(now.Identities));
            Tile(html, "Seeded (pins)", SvgChart.Count(now.Pins));
            Tile(html, "Disk", SvgChart.Bytes(now.DiskBytes));
            Tile(html, "Signed-in members", SvgChart.Count(now.MemberSessions));
            Tile(html, "Hidden by admin", SvgChart.Count(now.Hidden));
            foreach (var (name, value) in now.Node.OrderBy(n => n.Key, StringComparer.Ordinal))
            {
                Tile(html, name, name.EndsWith("bytes", StringComparison.Ordinal) ? SvgChart.Bytes(value) : SvgChart.Count(value));
            }

            html.Raw("</div><h2>Over time</h2><div class=\"charts\">");
            SvgChart.Line(html, "Records", history.Series(MetricsSampler.Records), SvgChart.Count);
            SvgChart.Line(html, "Pins (seeded)", history.Series(MetricsSampler.Pins), SvgChart.Count);
            SvgChart.Line(html, "Disk", history.Series(MetricsSampler.DiskBytes), SvgChart.Bytes);
            SvgChart.Line(html, "Web sessions", history.Series(MetricsSampler.Sessions), SvgChart.Count);
            foreach (var name in now.Node.Keys.Order(StringComparer.Ordinal))
            {
                SvgChart.Line(html, name, history.Series(name), name.EndsWith("bytes", StringComparison.Ordinal) ? SvgChart.Bytes : SvgChart.Count);
            }

            html.Raw("</div><h2>Parts of the box</h2><ul class=\"slots\">");
            foreach (var slot in now.Slots)
            {
                html.Open("li", ("class", slot.Available ? "on" : "off")).Element("strong", slot.Name).Raw(": ").Text(slot.Status).Raw("</li>");
            }

            html.Raw("</ul>").Raw("<p class=\"hint\">Version ").Text(now.Version).Raw("</p>");
        }, admin: true);
    }

    internal static ContentHttpResult Moderation(HttpContext context, HiddenList hidden, RecordStore store) =>
        ModerationPage(context, hidden, store, null, StatusCodes.Status200OK);

    internal static IResult Hide(HttpContext context, HiddenList hidden, RecordStore store, [FromForm] string? kind, [FromForm] string? key, [FromForm] string? reason)
    {
        var error = HideOne(hidden, store, kind, key, reason);
        return error is null ? TypedResults.Redirect("/admin/moderation") : ModerationPage(context, hidden, store, error, StatusCodes.Status400BadRequest);
    }

    internal static RedirectHttpResult Unhide(HiddenList hidden, [FromForm] string? key)
    {
        if (key is not null)
        {
            hidden.Unhide(key);
        }

        return TypedResults.Redirect("/admin/moderation");
    }

    /// <summary>Hides an author (64-hex key) or a post (40-hex id, a prefix of one, or a magnet link). Null when done.</summary>
    internal static string? HideOne(HiddenList hidden, RecordStore store, string? kind, string? key, string? reason)
    {
        key = key?.Trim() ?? "";
        if (kind == "author")
        {
            if (key.Length != 64 || !key.All(char.IsAsciiHexDigit))
            {
                return "An author is named by their public key: 64 hex characters.";
            }

            hidden.HideAuthor(key.ToLowerInvariant(), reason);
            return null;
        }

        if (kind == "post")
        {
            InfoHash id;
            if (key.StartsWith("magnet:", StringComparison.OrdinalIgnoreCase) && MagnetLink.TryParse(key, out var link, out _))
            {
                id = link.InfoHash;
            }
            else if (store.FindByPrefix(key) is [var only])
            {
                id = only;
            }
            else
            {
                return "No single post on this box matches that id.";
            }

            hidden.HidePost(id, reason);
            return null;
        }

        return "Choose whether to hide an author or a post.";
    }

    internal static ContentHttpResult Settings(HttpContext context, StoreStats stats) => SettingsPage(context, stats, null, StatusCodes.Status200OK);

    internal static IResult SaveSetting(HttpContext context, RecordStore store, StoreStats stats, [FromForm] string? key, [FromForm] string? value)
    {
        key ??= "";
        value = value?.Trim() ?? "";
        var error = EditableSettings.Check(key, value);
        if (error is not null)
        {
            return SettingsPage(context, stats, error, StatusCodes.Status400BadRequest);
        }

        store.SetSetting(key, value.Length == 0 ? null : value);
        return TypedResults.Redirect("/admin/settings");
    }

    internal static IResult ChangePassword(HttpContext context, AdminAccount account, StoreStats stats, [FromForm] string? current, [FromForm] string? next) =>
        account.TryChangePassword(current, next)
            ? TypedResults.Redirect("/admin/settings")
            : SettingsPage(context, stats, $"The current password is wrong, or the new one is shorter than {AdminAccount.MinimumPasswordLength} characters.", StatusCodes.Status400BadRequest);

    internal static ContentHttpResult Identities(HttpContext context, MemberKeyStore keys, RecordStore store)
    {
        var csrf = CsrfProtection.TokenFor(context);
        return Page.Render(context, "Identities", html =>
        {
            html.Raw("<h1>Members' identities on this box</h1><p class=\"hint\">Keys are sealed with each member's passphrase; the admin cannot open them. Removing one deletes its sealed key from the box (the member can import an exported copy).</p>");
            var list = keys.List();
            if (list.Count == 0)
            {
                html.Raw("<p class=\"empty\">None yet: members create theirs on the Me page.</p>");
            }

            html.Raw("<ul class=\"identities\">");
            foreach (var key in list)
            {
                html.Raw("<li>").Element("strong", store.DisplayName(Convert.FromHexString(key.PublicKey)) ?? key.Name).Raw(" ").Element("span", key.PublicKey, ("class", "key"));
                html.FormOpen("/admin/identities/remove", csrf, "inline", ("key", key.PublicKey)).Raw("<button type=\"submit\" class=\"danger\">Remove</button></form></li>");
            }

            html.Raw("</ul>");
        }, admin: true);
    }

    internal static RedirectHttpResult RemoveIdentity(IdentityService identities, SessionStore sessions, [FromForm] string? key)
    {
        if (key is not null && identities.Remove(key))
        {
            sessions.EndMember(key);
        }

        return TypedResults.Redirect("/admin/identities");
    }

    internal static ContentHttpResult Logs(HttpContext context, RingBufferLoggerProvider logs) =>
        Page.Render(context, "Logs", html =>
        {
            html.Raw("<h1>Recent log</h1><p class=\"hint\">The last entries of this run, newest first (Information and above).</p><table class=\"logs\"><thead><tr><th>time</th><th>level</th><th>source</th><th>message</th></tr></thead><tbody>");
            foreach (var entry in logs.Entries().Reverse())
            {
                html.Raw("<tr>").Element("td", entry.Time.ToString("HH:mm:ss", CultureInfo.InvariantCulture))
                    .Element("td", entry.Level.ToString(), ("class", "level-" + entry.Level.ToString().ToLowerInvariant()))
                    .Element("td", entry.Category[(entry.Category.LastIndexOf('.') + 1)..], ("title", entry.Category))
                    .Element("td", entry.Message).Raw("</tr>");
            }

            html.Raw("</tbody></table>");
        }, admin: true);

    private static ContentHttpResult SetupPage(HttpContext context, string? error, int status)
    {
        var csrf = CsrfProtection.TokenFor(context);
        return Page.Render(context, "Set up this box", html =>
        {
            html.Raw("<h1>Set up this box</h1><p>Enter the setup code from the box's log (the line “Web admin first-run setup code”) and choose the admin password.</p>");
            if (error is not null)
            {
                html.Element("p", error, ("class", "error"), ("role", "alert"));
            }

            html.FormOpen("/admin/setup", csrf, "setup")
                .Raw("<label>Setup code <input name=\"code\" required autocomplete=\"off\" autocapitalize=\"characters\"></label>")
                .Raw("<label>Admin password <input type=\"password\" name=\"password\" required minlength=\"8\" autocomplete=\"new-password\"></label>")
                .Raw("<button type=\"submit\">Set up</button></form>");
        }, status);
    }

    private static ContentHttpResult LoginPage(HttpContext context, string? returnTo, string? error, int status)
    {
        var csrf = CsrfProtection.TokenFor(context);
        return Page.Render(context, "Admin login", html =>
        {
            html.Raw("<h1>Admin login</h1>");
            if (error is not null)
            {
                html.Element("p", error, ("class", "error"), ("role", "alert"));
            }

            html.FormOpen("/admin/login", csrf, "login", ("return", Page.SafeReturn(returnTo)))
                .Raw("<label>Password <input type=\"password\" name=\"password\" required autocomplete=\"current-password\"></label>")
                .Raw("<button type=\"submit\">Log in</button></form>");
        }, status);
    }

    private static ContentHttpResult ModerationPage(HttpContext context, HiddenList hidden, RecordStore store, string? error, int status)
    {
        var csrf = CsrfProtection.TokenFor(context);
        return Page.Render(context, "Moderation", html =>
        {
            html.Raw("<h1>Moderation</h1>");
            if (error is not null)
            {
                html.Element("p", error, ("class", "error"), ("role", "alert"));
            }

            html.Raw("<section class=\"card\"><h2>Hide an author or a post</h2><p class=\"hint\">Hidden posts leave this box's board and are no longer seeded from here. Hiding an author also blocks them in the store (their records are refused from now on).</p>");
            html.FormOpen("/admin/moderation/hide", csrf, "hide")
                .Raw("<label>What <select name=\"kind\"><option value=\"author\">Author (public key)</option><option value=\"post\">Post (id or magnet)</option></select></label>")
                .Raw("<label>Key or id <input name=\"key\" required autocomplete=\"off\"></label>")
                .Raw("<label>Reason <input name=\"reason\" maxlength=\"200\"></label>")
                .Raw("<button type=\"submit\" class=\"danger\">Hide</button></form></section>");

            html.Raw("<section class=\"card\"><h2>Hidden, and why</h2>");
            var entries = hidden.Authors.Select(a => ("author", a)).Concat(hidden.Posts.Select(p => ("post", p))).ToList();
            if (entries.Count == 0)
            {
                html.Raw("<p class=\"empty\">Nothing hidden.</p>");
            }

            html.Raw("<ul class=\"hidden-list\">");
            foreach (var (kind, entry) in entries)
            {
                var label = kind == "author"
                    ? "author " + (store.DisplayName(Convert.FromHexString(entry.Key)) ?? Page.ShortKey(entry.Key))
                    : "post " + Page.ShortKey(entry.Key);
                html.Raw("<li>").Element("strong", label).Raw(" ").Element("span", entry.Key, ("class", "key")).Raw(" · ");
                Page.Ago(html, entry.Since, store.ValidationOptions.Clock.GetUtcNow().ToUnixTimeSeconds());
                html.Raw(" · ").Element("span", string.IsNullOrEmpty(entry.Reason) ? "no reason given" : entry.Reason, ("class", "reason"));
                html.FormOpen("/admin/moderation/unhide", csrf, "inline", ("key", entry.Key)).Raw("<button type=\"submit\">Unhide</button></form></li>");
            }

            html.Raw("</ul></section>");
            html.Raw("<section class=\"card\"><h2>Store blocks</h2><p class=\"hint\">Refused at ingest; stored records hidden and not seeded.</p><ul>");
            foreach (var block in store.Blocks())
            {
                html.Raw("<li>").Text(block.Kind.ToString().ToLowerInvariant()).Raw(" ").Element("span", block.Value, ("class", "key")).Raw("</li>");
            }

            html.Raw("</ul></section><section class=\"card\"><h2>Followed moderators</h2><ul>");
            foreach (var moderator in store.FollowedModerators())
            {
                html.Raw("<li>").Element("span", Convert.ToHexStringLower(moderator.Key.Span), ("class", "key")).Raw(" ").Text(moderator.Community is null ? "all communities" : "c/" + moderator.Community).Raw("</li>");
            }

            html.Raw("</ul></section><section class=\"card\"><h2>Hidden by the store, and why</h2><ul>");
            foreach (var record in store.Hidden(limit: 100))
            {
                html.Raw("<li>").Element("span", record.Id.ToHex(), ("class", "key")).Raw(" · ").Text(record.Reason).Raw(" (").Text(record.Source).Raw(") ").Text(record.Detail).Raw("</li>");
            }

            html.Raw("</ul></section><section class=\"card\"><h2>Dropped records</h2><p class=\"hint\">Dropped by the seeding policy (quotas, retention).</p><ul>");
            foreach (var dropped in store.Dropped(limit: 100))
            {
                html.Raw("<li>").Element("span", dropped.Id.ToHex(), ("class", "key")).Raw(" · ").Text(dropped.Kind.ToString().ToLowerInvariant()).Raw(" · ").Text(dropped.Reason).Raw("</li>");
            }

            html.Raw("</ul></section>");
        }, status, admin: true);
    }

    private static ContentHttpResult SettingsPage(HttpContext context, StoreStats stats, string? error, int status)
    {
        var csrf = CsrfProtection.TokenFor(context);
        return Page.Render(context, "Settings", html =>
        {
            html.Raw("<h1>Seeding policy and settings</h1>");
            if (error is not null)
            {
                html.Element("p", error, ("class", "error"), ("role", "alert"));
            }

            var all = stats.Settings().Where(s => !EditableSettings.IsHiddenFromList(s.Key)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
            var keys = EditableSettings.KnownKeys.Concat(all.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            html.Raw("<table class=\"settings\"><thead><tr><th>setting</th><th>value</th></tr></thead><tbody>");
            foreach (var key in keys)
            {
                all.TryGetValue(key, out var value);
                html.Raw("<tr><td>").Element("code", key).Raw("<br>").Element("span", EditableSettings.Meaning(key) ?? "set by another part of the box", ("class", "hint")).Raw("</td><td>");
                if (EditableSettings.IsEditable(key))
                {
                    html.FormOpen("/admin/settings", csrf, "setting", ("key", key))
                        .Open("input", ("name", "value"), ("value", value ?? ""), ("aria-label", key)).Raw("<button type=\"submit\">Save</button></form>");
                }
                else
                {
                    html.Element("span", value);
                }

                html.Raw("</td></tr>");
            }

            html.Raw("</tbody></table>");
            html.Raw("<section class=\"card\"><h2>Per-community proof of work</h2>");
            html.FormOpen("/admin/settings", csrf, "setting")
                .Raw("<label>Setting <input name=\"key\" placeholder=\"pow.post.COMMUNITY\" required></label><label>Bits <input name=\"value\" inputmode=\"numeric\"></label><button type=\"submit\">Save</button></form></section>");
            html.Raw("<section class=\"card waiting\"><h2>Uplinks</h2><p>MQTT broker and LoRa radio settings arrive with the uplinks.</p></section>");
            html.Raw("<section class=\"card\"><h2>Admin password</h2>");
            html.FormOpen("/admin/password", csrf, "password")
                .Raw("<label>Current <input type=\"password\" name=\"current\" required autocomplete=\"current-password\"></label>")
                .Raw("<label>New <input type=\"password\" name=\"next\" required minlength=\"8\" autocomplete=\"new-password\"></label>")
                .Raw("<button type=\"submit\">Change</button></form></section>");
        }, status, admin: true);
    }

    private static void Tile(Html html, string label, string value) =>
        html.Raw("<div class=\"tile\"><span class=\"label\">").Text(label).Raw("</span><span class=\"value\">").Text(value).Raw("</span></div>");
}
