using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Upseed.Crypto;

namespace Upseed.Web;

/// <summary>
/// "Me": household members pick their identity on the box and unlock it with their passphrase (a member session
/// cookie follows), make a new one, import a key file, export theirs, or lock the session.
/// </summary>
internal static class MemberPages
{
    public static RouteGroupBuilder MapMemberPages(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/me").ExcludeFromDescription();
        group.MapGet("", Me).WithName("page-me");
        group.MapPost("/create", Create).WithName("form-identity-create");
        group.MapPost("/unlock", Unlock).WithName("form-identity-unlock").RequireRateLimiting(WebServices.AuthRateLimit);
        group.MapPost("/import", Import).WithName("form-identity-import").RequireRateLimiting(WebServices.AuthRateLimit);
        group.MapPost("/lock", Lock).WithName("form-identity-lock");
        group.MapGet("/export", Export).WithName("page-identity-export").RequireAuthorization(UpseedAuthenticationHandler.MemberPolicy);
        return group;
    }

    /// <summary>Starts a member session for an unlocked key: a fresh token in an HttpOnly, SameSite=Strict cookie.</summary>
    public static void SignIn(HttpContext context, SessionStore sessions, Ed25519KeyPair key, string? name)
    {
        sessions.End(context.Request.Cookies[WebCookies.Member]);
        WebCookies.Set(context, WebCookies.Member, sessions.StartMember(key, name));
    }

    internal static ContentHttpResult Me(HttpContext context, IdentityService identities, string? @return) =>
        MePage(context, identities, @return, null, StatusCodes.Status200OK);

    internal static IResult Create(HttpContext context, IdentityService identities, SessionStore sessions,
        [FromForm] string? name, [FromForm] string? passphrase, [FromForm] string? bio, [FromForm(Name = "return")] string? returnTo)
    {
        if (!identities.TryCreate(new CreateIdentityRequest(name, passphrase, bio), context.RequestAborted, out var key, out var error))
        {
            return MePage(context, identities, returnTo, error, StatusCodes.Status400BadRequest);
        }

        SignIn(context, sessions, key!, name?.Trim());
        return TypedResults.Redirect(Page.SafeReturn(returnTo));
    }

    internal static IResult Unlock(HttpContext context, IdentityService identities, SessionStore sessions,
        [FromForm] string? key, [FromForm] string? passphrase, [FromForm(Name = "return")] string? returnTo)
    {
        var unlocked = identities.TryUnlock(key, passphrase, out var name);
        if (unlocked is null)
        {
            return MePage(context, identities, returnTo, "That passphrase does not unlock this identity.", StatusCodes.Status400BadRequest);
        }

        SignIn(context, sessions, unlocked, name);
        return TypedResults.Redirect(Page.SafeReturn(returnTo));
    }

    internal static async Task<IResult> Import(HttpContext context, IdentityService identities, SessionStore sessions)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var file = form.Files.GetFile("file");
        string? error;
        Ed25519KeyPair? key = null;
        if (file is null || file.Length is 0 or > SealedKeyFile.MaxFileBytes)
        {
            error = "Choose a key file (an exported .upseed-key file, or a key from the CLI's keys folder).";
        }
        else
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            key = identities.TryImport(buffer.ToArray(), form["passphrase"], out error);
        }

        if (key is null)
        {
            return MePage(context, identities, form["return"], error, StatusCodes.Status400BadRequest);
        }

        SignIn(context, sessions, key, identities.List().FirstOrDefault(k => k.PublicKey == key.PublicKeyHex)?.Name);
        return TypedResults.Redirect("/me");
    }

    internal static RedirectHttpResult Lock(HttpContext context, SessionStore sessions)
    {
        sessions.End(context.Request.Cookies[WebCookies.Member]);
        WebCookies.Delete(context, WebCookies.Member);
        return TypedResults.Redirect("/me");
    }

    internal static IResult Export(HttpContext context, IdentityService identities)
    {
        var key = BoardPages.Viewer(context)?.Key;
        var bytes = key is null ? null : identities.Export(key.PublicKeyHex);
        return bytes is null
            ? TypedResults.NotFound()
            : TypedResults.File(bytes, "application/json", "upseed-" + key!.PublicKeyHex[..12] + ".upseed-key");
    }

    private static ContentHttpResult MePage(HttpContext context, IdentityService identities, string? returnTo, string? error, int status)
    {
        var csrf = CsrfProtection.TokenFor(context);
        var current = BoardPages.Viewer(context);
        var back = Page.SafeReturn(returnTo);
        return Page.Render(context, "Me", html =>
        {
            html.Raw("<h1>Your identity on this box</h1>");
            if (error is not null)
            {
                html.Element("p", error, ("class", "error"), ("role", "alert"));
            }

            if (current?.Key is { } key)
            {
                html.Raw("<section class=\"card current\"><p>Posting and voting as <strong>").Text(current.Name ?? Page.ShortKey(key.PublicKeyHex))
                    .Raw("</strong></p>").Element("p", key.PublicKeyHex, ("class", "key"))
                    .Raw("<p><a class=\"button\" href=\"/me/export\">Export key file</a></p>");
                html.FormOpen("/me/lock", csrf).Raw("<button type=\"submit\">Lock (sign out)</button></form></section>");
            }

            var keys = identities.List();
            if (keys.Count > 0)
            {
                html.Raw("<section class=\"card\"><h2>Pick your identity</h2><ul class=\"identities\">");
                foreach (var sealedKey in keys)
                {
                    html.Raw("<li>");
                    html.FormOpen("/me/unlock", csrf, "unlock", ("key", sealedKey.PublicKey), ("return", back));
                    html.Raw("<span class=\"name\">").Text(sealedKey.Name ?? Page.ShortKey(sealedKey.PublicKey)).Raw("</span> ")
                        .Element("span", Page.ShortKey(sealedKey.PublicKey), ("class", "key"))
                        .Open("input", ("type", "password"), ("name", "passphrase"), ("required", "required"), ("autocomplete", "current-password"),
                            ("placeholder", "Passphrase"), ("aria-label", "Passphrase for " + (sealedKey.Name ?? sealedKey.PublicKey)))
                        .Raw("<button type=\"submit\">Unlock</button></form></li>");
                }

                html.Raw("</ul></section>");
            }

            html.Raw("<section class=\"card\"><h2>New identity</h2>");
            html.FormOpen("/me/create", csrf, "create", ("return", back))
                .Raw("<label>Name <input name=\"name\" required maxlength=\"64\" autocomplete=\"nickname\"></label>")
                .Raw("<label>About you (optional) <input name=\"bio\" maxlength=\"300\"></label>")
                .Raw("<label>Passphrase <input type=\"password\" name=\"passphrase\" required minlength=\"8\" autocomplete=\"new-password\"></label>")
                .Raw("<button type=\"submit\">Create</button> <span class=\"hint\">Your key stays on this box, sealed with your passphrase.</span></form></section>");

            html.Raw("<section class=\"card\"><h2>Import a key file</h2>");
            html.Raw("<form method=\"post\" action=\"/me/import\" enctype=\"multipart/form-data\" class=\"import\">")
                .Open("input", ("type", "hidden"), ("name", CsrfProtection.FormField), ("value", csrf))
                .Raw("<label>Key file <input type=\"file\" name=\"file\" required></label>")
                .Raw("<label>Passphrase <input type=\"password\" name=\"passphrase\" required minlength=\"8\" autocomplete=\"current-password\"></label>")
                .Raw("<button type=\"submit\">Import</button> <span class=\"hint\">An exported file opens with its passphrase; a key from the CLI gets this passphrase.</span></form></section>");
        }, status);
    }
}
