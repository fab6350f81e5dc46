using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Upseed.Metainfo;

namespace Upseed.Web;

/// <summary>Voting: +1 seeds the post on this box (pins it), -1 and 0 stop seeding it for that reason.</summary>
internal static class VotesApi
{
    public static RouteGroupBuilder MapVotesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/posts").WithTags("Votes").RequireAuthorization(UpseedAuthenticationHandler.MemberPolicy);
        group.MapPost("/{id}/vote", Vote).WithName("vote").WithSummary("Publishes a signed vote (+1 = upvote and seed, -1 = downvote, 0 = withdraw)");
        return group;
    }

    internal static Results<Ok<VoteResultDto>, ValidationProblem, NotFound, UnauthorizedHttpResult> Vote(HttpContext context, BoardService board, string id, VoteRequest request)
    {
        if (!InfoHash.TryParse(id, out var target))
        {
            return TypedResults.NotFound();
        }

        if (request.Value is < -1 or > 1)
        {
            return PostsApi.Invalid("value", "A vote is +1, -1 or 0.");
        }

        if (BoardPages.Viewer(context)?.Key is not { } key)
        {
            return TypedResults.Unauthorized();
        }

        var result = board.Vote(key, target, request.Value, out var error);
        return result is not null ? TypedResults.Ok(result)
            : error is not null && error.StartsWith("There is no such", StringComparison.Ordinal) ? TypedResults.NotFound()
            : PostsApi.Invalid("value", error ?? "The vote was refused.");
    }
}
