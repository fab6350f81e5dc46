using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Upseed.Store;

namespace Upseed.Web;

/// <summary>The admin's API. Every endpoint in this group requires the admin role (set once, on the group).</summary>
internal static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(UpseedAuthenticationHandler.AdminPolicy);
        group.MapGet("/status", Status).WithName("admin-status").WithSummary("The box's current figures and which parts are running");
        group.MapGet("/metrics/{name}", Metric).WithName("admin-metric").WithSummary("One metric's samples over time");
        group.MapGet("/logs", Logs).WithName("admin-logs").WithSummary("Recent log entries, oldest first");
        group.MapGet("/hidden", Hidden).WithName("admin-hidden").WithSummary("Authors and posts hidden from this box's board, with when and why");
        group.MapPost("/hidden", Hide).WithName("admin-hide").WithSummary("Hides an author (kind=author, 64-hex key) or a post (kind=post, id or magnet); a hidden post is unpinned");
        group.MapDelete("/hidden/{key}", Unhide).WithName("admin-unhide").WithSummary("Unhides an author or post");
        group.MapGet("/settings", Settings).WithName("admin-settings").WithSummary("Settings, and which ones the web may change");
        group.MapPut("/settings", SaveSetting).WithName("admin-save-setting").WithSummary("Changes one editable setting (an empty value removes it)");
        group.MapPost("/password", ChangePassword).WithName("admin-password").WithSummary("Changes the admin password");
        group.MapGet("/identities", Identities).WithName("admin-identities").WithSummary("Members' identities kept on this box");
        group.MapDelete("/identities/{key}", RemoveIdentity).WithName("admin-remove-identity").WithSummary("Deletes a member's sealed key from the box");
        return group;
    }

    internal static Ok<AdminStatusDto> Status(AdminStatus status) => TypedResults.Ok(status.Current());

    internal static Ok<MetricSeriesDto> Metric(MetricsHistory history, string name) => TypedResults.Ok(history.Series(name));

    internal static Ok<IReadOnlyList<LogEntryDto>> Logs(RingBufferLoggerProvider logs) =>
        TypedResults.Ok<IReadOnlyList<LogEntryDto>>(logs.Entries()
            .Select(e => new LogEntryDto(e.Time.ToUnixTimeMilliseconds(), e.Level.ToString(), e.Category, e.Message)).ToList());

    internal static Ok<IReadOnlyList<HiddenDto>> Hidden(HiddenList hidden) =>
        TypedResults.Ok<IReadOnlyList<HiddenDto>>(hidden.Authors.Select(a => new HiddenDto("author", a.Key, a.Since, a.Reason))
            .Concat(hidden.Posts.Select(p => new HiddenDto("post", p.Key, p.Since, p.Reason))).ToList());

    internal static Results<NoContent, ValidationProblem> Hide(HiddenList hidden, RecordStore store, HideRequest request)
    {
        var error = AdminPages.HideOne(hidden, store, request.Kind, request.Key, request.Reason);
        return error is null ? TypedResults.NoContent() : PostsApi.Invalid("key", error);
    }

    internal static Results<NoContent, NotFound> Unhide(HiddenList hidden, string key) =>
        hidden.Unhide(key.ToLowerInvariant()) ? TypedResults.NoContent() : TypedResults.NotFound();

    internal static Ok<IReadOnlyList<SettingDto>> Settings(StoreStats stats)
    {
        var all = stats.Settings().Where(s => !EditableSettings.IsHiddenFromList(s.Key)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var keys = EditableSettings.KnownKeys.Concat(all.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return TypedResults.Ok<IReadOnlyList<SettingDto>>(keys
            .Select(k => new SettingDto(k, all.GetValueOrDefault(k, ""), EditableSettings.IsEditable(k), EditableSettings.Meaning(k) ?? "set by another part of the box"))
            .ToList());
    }

    internal static Results<NoContent, ValidationProblem> SaveSetting(RecordStore store, SettingUpdateRequest request)
    {
        var key = request.Key ?? "";
        var value = request.Value?.Trim() ?? "";
        var error = EditableSettings.Check(key, value);
        if (error is not null)
        {
            return PostsApi.Invalid("key", error);
        }

        store.SetSetting(key, value.Length == 0 ? null : value);
        return TypedResults.NoContent();
    }

    internal static Results<NoContent, ValidationProblem> ChangePassword(AdminAccount account, ChangePasswordRequest request) =>
        account.TryChangePassword(request.Current, request.Next)
            ? TypedResults.NoContent()
            : PostsApi.Invalid("password", $"The current password is wrong, or the new one is shorter than {AdminAccount.MinimumPasswordLength} characters.");

    internal static Ok<IReadOnlyList<IdentityDto>> Identities(IdentityService identities) =>
        TypedResults.Ok<IReadOnlyList<IdentityDto>>(identities.List().Select(k => new IdentityDto(k.PublicKey, k.Name, false)).ToList());

    internal static Results<NoContent, NotFound> RemoveIdentity(IdentityService identities, SessionStore sessions, string key)
    {
        if (!identities.Remove(key.ToLowerInvariant()))
        {
            return TypedResults.NotFound();
        }

        sessions.EndMember(key.ToLowerInvariant());
        return TypedResults.NoContent();
    }
}
