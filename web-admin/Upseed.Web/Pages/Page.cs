using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Upseed.Web;

/// <summary>The page frame shared by the board and the admin: head, top bar, main, and the small script and stylesheet.</summary>
internal static class Page
{
    public static ContentHttpResult Render(HttpContext context, string title, Action<Html> main, int status = StatusCodes.Status200OK, bool admin = false)
    {
        var csrf = CsrfProtection.TokenFor(context);
        var user = context.User;
        var html = new Html();
        html.Raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Open("meta", ("name", "csrf-token"), ("content", csrf))
            .Element("title", title + " · Upseed")
            .Raw("<link rel=\"stylesheet\" href=\"").Raw(StaticAssets.Url("app.css")).Raw("\"><script src=\"").Raw(StaticAssets.Url("app.js")).Raw("\" defer></script>")
            .Raw("<link rel=\"icon\" href=\"data:,\"></head><body>")
            .Raw("<header class=\"top\"><a class=\"brand\" href=\"/\">Upseed</a><nav>")
            .Raw("<a href=\"/communities\">Communities</a><a href=\"/submit\">Post</a>");
        var member = user.FindFirst(UpseedAuthenticationHandler.MemberClaim);
        html.Element("a", member is null ? "Me" : user.FindFirst(ClaimTypes.Name)?.Value, ("href", "/me"), ("class", member is null ? null : "me"));
        if (user.IsInRole(UpseedAuthenticationHandler.AdminRole) || admin)
        {
            html.Raw("<a href=\"/admin\">Admin</a>");
        }

        html.Raw("</nav>")
            .Raw("<form class=\"search\" method=\"get\" action=\"/search\"><input type=\"search\" name=\"q\" placeholder=\"Search titles\" aria-label=\"Search titles\"></form></header>");
        if (admin && user.IsInRole(UpseedAuthenticationHandler.AdminRole))
        {
            html.Raw("<nav class=\"admin-nav\"><a href=\"/admin\">Dashboard</a><a href=\"/admin/moderation\">Moderation</a>")
                .Raw("<a href=\"/admin/settings\">Policy &amp; settings</a><a href=\"/admin/identities\">Identities</a>")
                .Raw("<a href=\"/admin/logs\">Logs</a>");
            html.FormOpen("/admin/logout", csrf, "inline").Raw("<button type=\"submit\" class=\"link\">Log out</button></form></nav>");
        }

        html.Raw("<main>");
        main(html);
        html.Raw("</main></body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>"3 h ago" style relative time, with the exact time in a <c>time</c> element.</summary>
    public static void Ago(Html html, long created, long now)
    {
        var seconds = Math.Max(0, now - created);
        var text = seconds switch
        {
            < 60 => "just now",
            < 3600 => $"{seconds / 60} min ago",
            < 86_400 => $"{seconds / 3600} h ago",
            < 86_400 * 60 => $"{seconds / 86_400} d ago",
            _ => DateTimeOffset.FromUnixTimeSeconds(created).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        html.Element("time", text, ("datetime", DateTimeOffset.FromUnixTimeSeconds(created).ToString("O", CultureInfo.InvariantCulture)));
    }

    public static string ShortKey(string hex) => hex.Length > 8 ? hex[..8] : hex;

    /// <summary>A local path to go back to after a form; anything else (another site, //host) becomes "/".</summary>
    public static string SafeReturn(string? path) =>
        !string.IsNullOrEmpty(path) && path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("/\\", StringComparison.Ordinal) && path.Length < 2048
            ? path
            : "/";
}
