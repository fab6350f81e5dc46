using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Upseed.Web;

/// <summary>
/// Reads the admin and member session cookies into one principal: role <c>admin</c> for an admin session, claim
/// <see cref="MemberClaim"/> (the public key) for an unlocked member. API requests get 401/403; pages redirect to
/// the admin login or the member page.
/// </summary>
internal sealed class UpseedAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, SessionStore sessions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Upseed";
    public const string AdminRole = "admin";
    public const string MemberClaim = "upseed:member";
    public const string AdminPolicy = "upseed-admin";
    public const string MemberPolicy = "upseed-member";
    private const string MemberSessionItem = "upseed.member-session";

    /// <summary>The unlocked member session of this request, if any (set during authentication).</summary>
    public static Session? MemberSession(HttpContext context) =>
        context.Items.TryGetValue(MemberSessionItem, out var value) ? value as Session : null;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var claims = new List<Claim>();
        if (sessions.Find(Request.Cookies[WebCookies.Admin], SessionKind.Admin) is not null)
        {
            claims.Add(new Claim(ClaimTypes.Role, AdminRole));
        }

        if (sessions.Find(Request.Cookies[WebCookies.Member], SessionKind.Member) is { Key: not null } member)
        {
            claims.Add(new Claim(MemberClaim, member.Key.PublicKeyHex));
            claims.Add(new Claim(ClaimTypes.Name, member.Name ?? member.Key.PublicKeyHex[..8]));
            Context.Items[MemberSessionItem] = member;
        }

        if (claims.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => Deny(StatusCodes.Status401Unauthorized);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Deny(StatusCodes.Status403Forbidden);

    private Task Deny(int status)
    {
        var path = Request.Path;
        if (path.StartsWithSegments("/api", StringComparison.Ordinal) || !HttpMethods.IsGet(Request.Method))
        {
            Response.StatusCode = status;
            return Task.CompletedTask;
        }

        var back = Uri.EscapeDataString(Request.Path + Request.QueryString);
        Response.Redirect(path.StartsWithSegments("/admin", StringComparison.Ordinal) ? "/admin/login?return=" + back : "/me?return=" + back);
        return Task.CompletedTask;
    }
}
