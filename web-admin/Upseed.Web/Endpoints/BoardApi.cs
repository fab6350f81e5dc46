using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Upseed.Metainfo;
using Upseed.Store;

namespace Upseed.Web;

/// <summary>Reading the board: communities, listings, threads. Open to anyone on the box's network.</summary>
internal static class BoardApi
{
    public static RouteGroupBuilder MapBoardApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Board");
        group.MapGet("/communities", Communities).WithName("communities").WithSummary("Communities on this box, with their post counts");
        group.MapGet("/posts", Listing).WithName("listing").WithSummary("A page of posts: sort hot|new|top, t day|week|month|year|all, community, q (title contains), page");
        group.MapGet("/posts/{id}", Thread).WithName("thread").WithSummary("A post (or comment) with its nested comments");
        return group;
    }

    internal static Ok<IReadOnlyList<CommunityDto>> Communities(BoardService board) => TypedResults.Ok(board.Communities());

    internal static Ok<ListingDto> Listing(HttpContext context, BoardService board, string? community, string? sort, string? t, string? q, int? page)
    {
        var (listing, period) = BoardPages.ParseSort(sort, t);
        return TypedResults.Ok(board.Listing(string.IsNullOrEmpty(community) ? null : community, listing, period, page ?? 0, q, BoardPages.Viewer(context)?.Key));
    }

    internal static Results<Ok<ThreadDto>, NotFound> Thread(HttpContext context, BoardService board, string id, string? sort) =>
        InfoHash.TryParse(id, out var hash) && board.Thread(hash, sort == "new" ? CommentSort.New : CommentSort.Top, BoardPages.Viewer(context)?.Key) is { } thread
            ? TypedResults.Ok(thread)
            : TypedResults.NotFound();
}
