using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Upseed.Web;

/// <summary>Who am I, the CSRF token, first-run setup, admin login and logout.</summary>
internal static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth");
        group.MapGet("/me", Me).WithName("me").WithSummary("The unlocked identity and whether this browser is the admin");
        group.MapGet("/csrf", Csrf).WithName("csrf").WithSummary("The CSRF token (also set as a cookie) to send in the X-CSRF-Token header");
        group.MapPost("/setup", Setup).WithName("setup").WithSummary("First-run: sets the admin password; needs the setup code from the box's log").RequireRateLimiting(WebServices.AuthRateLimit);
        group.MapPost("/login", Login).WithName("login").WithSummary("Admin login: starts an admin session").RequireRateLimiting(WebServices.AuthRateLimit);
        group.MapPost("/logout", Logout).WithName("logout").WithSummary("Ends the admin session");
        return group;
    }

    internal static Ok<MeDto> Me(HttpContext context, AdminAccount account) => TypedResults.Ok(new MeDto(
        context.User.FindFirst(UpseedAuthenticationHandler.MemberClaim)?.Value,
        context.User.FindFirst(UpseedAuthenticationHandler.MemberClaim) is null ? null : context.User.FindFirst(ClaimTypes.Name)?.Value,
        context.User.IsInRole(UpseedAuthenticationHandler.AdminRole),
        account.IsSetUp));

    internal static Ok<CsrfDto> Csrf(HttpContext context) =>
        TypedResults.Ok(new CsrfDto(CsrfProtection.TokenFor(context), CsrfProtection.HeaderName, CsrfProtection.FormField));

    internal static Results<NoContent, ValidationProblem, Conflict> Setup(HttpContext context, AdminAccount account, SessionStore sessions, SetupRequest request)
    {
        switch (account.TrySetUp(request.Code, request.Password))
        {
            case SetupOutcome.Done:
                AdminPages.SignIn(context, sessions);
                return TypedResults.NoContent();
            case SetupOutcome.AlreadySetUp:
                return TypedResults.Conflict();
            case SetupOutcome.WrongCode:
                return PostsApi.Invalid("code", "That setup code is not the one in the box's log.");
            default:
                return PostsApi.Invalid("password", $"The password needs at least {AdminAccount.MinimumPasswordLength} characters.");
        }
    }

    internal static Results<NoContent, UnauthorizedHttpResult> Login(HttpContext context, AdminAccount account, SessionStore sessions, LoginRequest request)
    {
        if (!account.CheckPassword(request.Password))
        {
            return TypedResults.Unauthorized();
        }

        AdminPages.SignIn(context, sessions);
        return TypedResults.NoContent();
    }

    internal static NoContent Logout(HttpContext context, SessionStore sessions)
    {
        sessions.End(context.Request.Cookies[WebCookies.Admin]);
        WebCookies.Delete(context, WebCookies.Admin);
        return TypedResults.NoContent();
    }
}
