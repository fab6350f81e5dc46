using Microsoft.AspNetCore.Http;

namespace Upseed.Web;

/// <summary>
/// The web's cookies. All are HttpOnly and SameSite=Strict (a link or form from another site never carries them);
/// Secure when the request came over HTTPS (a box on a home network usually serves plain HTTP).
/// </summary>
internal static class WebCookies
{
    public const string Admin = "upseed_admin";
    public const string Member = "upseed_member";
    public const string Csrf = "upseed_csrf";

    public static void Set(HttpContext context, string name, string value, TimeSpan? maxAge = null) =>
        context.Response.Cookies.Append(name, value, Options(context, maxAge));

    public static void Delete(HttpContext context, string name) =>
        context.Response.Cookies.Delete(name, Options(context, null));

    private static CookieOptions Options(HttpContext context, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        MaxAge = maxAge,
        IsEssential = true,
    };
}
