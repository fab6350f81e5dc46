using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Upseed.Metainfo;

namespace Upseed.Web;

/// <summary>Writing posts and comments, signed with the caller's unlocked identity (member session).</summary>
internal static class PostsApi
{
    public static RouteGroupBuilder MapPostsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/posts").WithTags("Posts").RequireAuthorization(UpseedAuthenticationHandler.MemberPolicy);
        group.MapPost("", Create).WithName("create-post").WithSummary("Signs, stores and seeds a post");
        group.MapPost("/{id}/comments", Comment).WithName("create-comment").WithSummary("Signs and stores a comment on a post or comment");
        return group;
    }

    internal static Results<Created<CreatedDto>, ValidationProblem, UnauthorizedHttpResult> Create(HttpContext context, BoardService board, NewPostRequest request)
    {
        if (BoardPages.Viewer(context)?.Key is not { } key)
        {
            return TypedResults.Unauthorized();
        }

        return board.TryPost(key, request, context.RequestAborted, out var id, out var error)
            ? TypedResults.Created("/p/" + id.ToHex(), new CreatedDto(id.ToHex(), "/p/" + id.ToHex()))
            : Invalid("post", error!);
    }

    internal static Results<Created<CreatedDto>, ValidationProblem, NotFound, UnauthorizedHttpResult> Comment(HttpContext context, BoardService board, string id, NewCommentRequest request)
    {
        if (!InfoHash.TryParse(id, out var parent))
        {
            return TypedResults.NotFound();
        }

        if (BoardPages.Viewer(context)?.Key is not { } key)
        {
            return TypedResults.Unauthorized();
        }

        return board.TryComment(key, parent, request.Body, context.RequestAborted, out var made, out var error)
            ? TypedResults.Created("/p/" + made.ToHex(), new CreatedDto(made.ToHex(), "/p/" + made.ToHex()))
            : Invalid("body", error!);
    }

    internal static ValidationProblem Invalid(string field, string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] });
}
