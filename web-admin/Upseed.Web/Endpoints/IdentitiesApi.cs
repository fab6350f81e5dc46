using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Upseed.Web;

/// <summary>Members' identities on the box: list, create, unlock (member session), lock, export, import.</summary>
internal static class IdentitiesApi
{
    public static RouteGroupBuilder MapIdentitiesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/identities").WithTags("Identities");
        group.MapGet("", List).WithName("identities").WithSummary("Identities kept on this box (public keys and names)");
        group.MapPost("", Create).WithName("create-identity").WithSummary("Makes a key pair and a signed identity record; the key is sealed with the passphrase; unlocks it");
        group.MapPost("/unlock", Unlock).WithName("unlock-identity").WithSummary("Opens an identity with its passphrase: starts a member session").RequireRateLimiting(WebServices.AuthRateLimit);
        group.MapPost("/lock", Lock).WithName("lock-identity").WithSummary("Ends the member session");
        group.MapPost("/import", Import).WithName("import-identity").WithSummary("Imports a key file (multipart: file, passphrase)").RequireRateLimiting(WebServices.AuthRateLimit).DisableAntiforgery();
        group.MapGet("/me/export", Export).WithName("export-identity").WithSummary("The unlocked identity's sealed key file").RequireAuthorization(UpseedAuthenticationHandler.MemberPolicy);
        return group;
    }

    internal static Ok<IReadOnlyList<IdentityDto>> List(HttpContext context, IdentityService identities)
    {
        var current = BoardPages.Viewer(context)?.Key?.PublicKeyHex;
        return TypedResults.Ok<IReadOnlyList<IdentityDto>>(identities.List().Select(k => new IdentityDto(k.PublicKey, k.Name, k.PublicKey == current)).ToList());
    }

    internal static Results<Created<IdentityDto>, ValidationProblem> Create(HttpContext context, IdentityService identities, SessionStore sessions, CreateIdentityRequest request)
    {
        if (!identities.TryCreate(request, context.RequestAborted, out var key, out var error))
        {
            return PostsApi.Invalid("identity", error!);
        }

        MemberPages.SignIn(context, sessions, key!, request.Name?.Trim());
        return TypedResults.Created("/api/identities", new IdentityDto(key!.PublicKeyHex, request.Name?.Trim(), true));
    }

    internal static Results<Ok<IdentityDto>, UnauthorizedHttpResult> Unlock(HttpContext context, IdentityService identities, SessionStore sessions, UnlockRequest request)
    {
        var key = identities.TryUnlock(request.PublicKey, request.Passphrase, out var name);
        if (key is null)
        {
            return TypedResults.Unauthorized();
        }

        MemberPages.SignIn(context, sessions, key, name);
        return TypedResults.Ok(new IdentityDto(key.PublicKeyHex, name, true));
    }

    internal static NoContent Lock(HttpContext context, SessionStore sessions)
    {
        sessions.End(context.Request.Cookies[WebCookies.Member]);
        WebCookies.Delete(context, WebCookies.Member);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<IdentityDto>, ValidationProblem>> Import(HttpContext context, IdentityService identities, SessionStore sessions, IFormFile file, IFormCollection form)
    {
        if (file.Length is 0 or > SealedKeyFile.MaxFileBytes)
        {
            return PostsApi.Invalid("file", "A key file is at most 4 KiB.");
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var key = identities.TryImport(buffer.ToArray(), form["passphrase"], out var error);
        if (key is null)
        {
            return PostsApi.Invalid("file", error!);
        }

        var name = identities.List().FirstOrDefault(k => k.PublicKey == key.PublicKeyHex)?.Name;
        MemberPages.SignIn(context, sessions, key, name);
        return TypedResults.Ok(new IdentityDto(key.PublicKeyHex, name, true));
    }

    internal static Results<FileContentHttpResult, NotFound> Export(HttpContext context, IdentityService identities)
    {
        var key = BoardPages.Viewer(context)?.Key;
        var bytes = key is null ? null : identities.Export(key.PublicKeyHex);
        return bytes is null
            ? TypedResults.NotFound()
            : TypedResults.File(bytes, "application/json", "upseed-" + key!.PublicKeyHex[..12] + ".upseed-key");
    }
}
