using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Upseed.Web;

/// <summary>
/// CSRF protection by double submit: every browser gets a random token in an HttpOnly, SameSite=Strict cookie; pages
/// carry the same token in a hidden form field (<see cref="FormField"/>) and a meta tag that the script sends back as
/// the <see cref="HeaderName"/> header. A state-changing request (POST, PUT, PATCH, DELETE) to any web endpoint must
/// present the cookie and an equal field or header, or it is refused with 403 before its handler runs. Another site
/// can neither read the token nor make the browser send the cookie (SameSite=Strict), so it cannot forge either half.
/// </summary>
internal static class CsrfProtection
{
    public const string HeaderName = "X-CSRF-Token";
    public const string FormField = "_csrf";

    /// <summary>The browser's token: the cookie's when it has a well-formed one, else a new one set on the response.</summary>
    public static string TokenFor(HttpContext context)
    {
        if (context.Items.TryGetValue(WebCookies.Csrf, out var issued) && issued is string fresh)
        {
            return fresh;
        }

        var token = context.Request.Cookies[WebCookies.Csrf];
        if (token is null || token.Length != 43)
        {
            token = SessionStore.Base64Url(RandomNumberGenerator.GetBytes(32));
            WebCookies.Set(context, WebCookies.Csrf, token);
        }

        context.Items[WebCookies.Csrf] = token;
        return token;
    }

    public static async Task<bool> IsValidAsync(HttpContext context)
    {
        var cookie = context.Request.Cookies[WebCookies.Csrf];
        if (string.IsNullOrEmpty(cookie) || cookie.Length != 43)
        {
            return false;
        }

        string? presented = context.Request.Headers[HeaderName];
        if (string.IsNullOrEmpty(presented) && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            presented = form[FormField];
        }

        return !string.IsNullOrEmpty(presented)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presented), Encoding.ASCII.GetBytes(cookie));
    }

    public static bool IsStateChanging(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);
}

/// <summary>Marks the web's endpoints; <see cref="WebSecurityMiddleware"/> checks CSRF on those that change state.</summary>
internal sealed class WebEndpointMetadata
{
    public static readonly WebEndpointMetadata Instance = new();
}
