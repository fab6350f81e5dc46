using Microsoft.AspNetCore.Http;

namespace Upseed.Web;

/// <summary>
/// Runs after routing: sets the security headers on every response (a strict Content-Security-Policy with no inline
/// script or style, no framing, no referrer), and refuses a state-changing request to a web endpoint that fails the
/// CSRF check (<see cref="CsrfProtection"/>) with 403, before model binding or the handler.
/// </summary>
internal sealed class WebSecurityMiddleware(RequestDelegate next)
{
    /// <summary>
    /// Scripts, styles and images only from the box itself; no inline script or style (no 'unsafe-inline'), no eval,
    /// no plugins, no framing, forms post only to the box.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public async Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";

        if (CsrfProtection.IsStateChanging(context.Request.Method)
            && context.GetEndpoint()?.Metadata.GetMetadata<WebEndpointMetadata>() is not null
            && !await CsrfProtection.IsValidAsync(context).ConfigureAwait(false))
        {
            await Results.Problem(
                title: "CSRF check failed",
                detail: $"A state-changing request needs the {WebCookies.Csrf} cookie and the same token in the {CsrfProtection.HeaderName} header or the {CsrfProtection.FormField} form field.",
                statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }
}
