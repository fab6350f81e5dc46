using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Upseed.Metainfo;
using Upseed.Store;

namespace Upseed.Web;

/// <summary>
/// The members' board as server-rendered pages: listings (Hot, New, Top per period; all or one community; title
/// search; pages), threads with nested comments, composing, voting. Every page is readable and every action works
/// with plain HTML forms; <c>app.js</c> turns votes into instant in-place updates.
/// </summary>
internal static class BoardPages
{
    private static readonly string[] s_sorts = ["hot", "new", "top"];
    private static readonly string[] s_periods = ["day", "week", "month", "year", "all"];

    public static RouteGroupBuilder MapBoardPages(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").ExcludeFromDescription();
        group.MapGet("/", Front).WithName("page-front");
        group.MapGet("/c/{community}", Community).WithName("page-community");
        group.MapGet("/search", Search).WithName("page-search");
        group.MapGet("/communities", Communities).WithName("page-communities");
        group.MapGet("/p/{id}", ThreadPage).WithName("page-thread");
        group.MapGet("/submit", SubmitForm).WithName("page-submit").RequireAuthorization(UpseedAuthenticationHandler.MemberPolicy);
        group.MapPost("/submit", Submit).WithName("form-submit").RequireAuthorization(UpseedAuthenticationHandler.MemberPolicy);
        group.MapPost("/p/{id}/comment", Comment).WithName("form-comment").RequireAuthorization(UpseedAuthenticationHandler.MemberPolicy);
        group.MapPost("/p/{id}/vote", Vote).WithName("form-vote").RequireAuthorization(UpseedAuthenticationHandler.MemberPolicy);
        return group;
    }

    internal static ContentHttpResult Front(HttpContext context, BoardService board, RecordStore store, string? sort, string? t, int? page) =>
        ListingPage(context, board, store, null, sort, t, page, null);

    internal static ContentHttpResult Community(HttpContext context, BoardService board, RecordStore store, string community, string? sort, string? t, int? page) =>
        ListingPage(context, board, store, community, sort, t, page, null);

    internal static ContentHttpResult Search(HttpContext context, BoardService board, RecordStore store, string? q, string? c, string? sort, string? t, int? page) =>
        ListingPage(context, board, store, string.IsNullOrEmpty(c) ? null : c, sort ?? "new", t, page, q ?? "");

    internal static ContentHttpResult Communities(HttpContext context, BoardService board) =>
        Page.Render(context, "Communities", html =>
        {
            html.Raw("<h1>Communities</h1>");
            var communities = board.Communities();
            if (communities.Count == 0)
            {
                html.Raw("<p class=\"empty\">No communities on this box yet. <a href=\"/submit\">Start one with a post.</a></p>");
                return;
            }

            html.Raw("<ul class=\"communities\">");
            foreach (var community in communities)
            {
                html.Raw("<li>").Element("a", "c/" + community.Name, ("href", "/c/" + community.Name)).Raw(" <span class=\"count\">")
                    .Number(community.Posts).Raw(community.Posts == 1 ? " post" : " posts").Raw("</span></li>");
            }

            html.Raw("</ul>");
        });

    internal static Results<ContentHttpResult, NotFound<string>> ThreadPage(HttpContext context, BoardService board, RecordStore store, string id, string? sort)
    {
        if (!InfoHash.TryParse(id, out var hash) || board.Thread(hash, sort == "new" ? CommentSort.New : CommentSort.Top, Viewer(context)?.Key) is not { } thread)
        {
            return TypedResults.NotFound("No such post on this box.");
        }

        var now = store.ValidationOptions.Clock.GetUtcNow().ToUnixTimeSeconds();
        var csrf = CsrfProtection.TokenFor(context);
        var here = "/p/" + thread.Post.Id;
        var member = Viewer(context) is not null;
        return Page.Render(context, thread.Post.Title ?? "Comment", html =>
        {
            var post = thread.Post;
            html.Open("article", ("class", "post thread"), ("id", "p-" + post.Id));
            Votes(html, post.Id, post.Score, post.MyVote, csrf, here);
            html.Raw("<div class=\"main\">");
            if (thread.RootId is not null)
            {
                html.Raw("<p class=\"context\">A comment in ").Element("a", "this thread", ("href", "/p/" + thread.RootId)).Raw("</p>");
            }
            else
            {
                html.Element("h1", post.Title, ("class", "title"));
            }

            Meta(html, post, now, commentsLink: false);
            html.Element("div", thread.Retracted ? "[removed by its author]" : thread.Body, ("class", thread.Retracted ? "text retracted" : "text"));
            html.Raw("<div class=\"share\"><a class=\"magnet\" href=\"").Text(board.Magnet(InfoHash.Parse(post.Id), board.FileName(InfoHash.Parse(post.Id))))
                .Raw("\">Magnet link</a> <span class=\"hint\">opens in any BitTorrent client</span></div>");
            html.Raw("</div></article>");

            html.Raw("<section class=\"comments\"><h2>").Number(thread.CommentCount).Raw(thread.CommentCount == 1 ? " comment" : " comments").Raw("</h2>");
            html.Raw("<p class=\"tabs\">Sort: ").Element("a", "top", ("href", here), ("class", sort == "new" ? null : "on"))
                .Element("a", "new", ("href", here + "?sort=new"), ("class", sort == "new" ? "on" : null)).Raw("</p>");
            if (member)
            {
                CommentForm(html, post.Id, csrf, "Add a comment", open: true);
            }
            else
            {
                html.Raw("<p class=\"hint\"><a href=\"/me?return=").Text(Uri.EscapeDataString(here)).Raw("\">Pick your identity</a> to comment and vote.</p>");
            }

            CommentList(html, thread.Comments, csrf, here, now, member);
            html.Raw("</section>");
        });
    }

    internal static ContentHttpResult SubmitForm(HttpContext context, BoardService board, string? c) =>
        SubmitPage(context, board, new NewPostRequest(c, null, null), null, StatusCodes.Status200OK);

    internal static IResult Submit(HttpContext context, BoardService board, [FromForm] string? community, [FromForm] string? title, [FromForm] string? body)
    {
        var request = new NewPostRequest(community, title, body);
        if (Viewer(context)?.Key is not { } key)
        {
            return TypedResults.Unauthorized();
        }

        return board.TryPost(key, request, context.RequestAborted, out var id, out var error)
            ? TypedResults.Redirect("/p/" + id.ToHex(), permanent: false)
            : SubmitPage(context, board, request, error, StatusCodes.Status400BadRequest);
    }

    internal static IResult Comment(HttpContext context, BoardService board, string id, [FromForm] string? body)
    {
        if (!InfoHash.TryParse(id, out var parent))
        {
            return TypedResults.NotFound();
        }

        if (Viewer(context)?.Key is not { } key)
        {
            return TypedResults.Unauthorized();
        }

        if (!board.TryComment(key, parent, body, context.RequestAborted, out var made, out var error))
        {
            return Page.Render(context, "Comment not posted", html =>
            {
                html.Raw("<h1>Comment not posted</h1>").Element("p", error, ("class", "error"))
                    .Raw("<p>").Element("a", "Back to the thread", ("href", "/p/" + id)).Raw("</p>");
            }, StatusCodes.Status400BadRequest);
        }

        var thread = board.Thread(parent, CommentSort.Top, null);
        return TypedResults.Redirect("/p/" + (thread?.RootId ?? id) + "#c-" + made.ToHex());
    }

    internal static IResult Vote(HttpContext context, BoardService board, string id, [FromForm] int value, [FromForm(Name = "return")] string? returnTo)
    {
        if (!InfoHash.TryParse(id, out var target) || value is < -1 or > 1)
        {
            return TypedResults.BadRequest();
        }

        if (Viewer(context)?.Key is not { } key)
        {
            return TypedResults.Unauthorized();
        }

        return board.Vote(key, target, value, out _) is null
            ? TypedResults.NotFound()
            : TypedResults.Redirect(Page.SafeReturn(returnTo) + "#p-" + id);
    }

    internal static Session? Viewer(HttpContext context) => UpseedAuthenticationHandler.MemberSession(context);

    internal static (ListingSort Sort, TopPeriod Period) ParseSort(string? sort, string? t)
    {
        var listing = sort?.ToLowerInvariant() switch
        {
            "new" => ListingSort.New,
            "top" => ListingSort.Top,
            _ => ListingSort.Hot,
        };
        var period = t?.ToLowerInvariant() switch
        {
            "week" => TopPeriod.Week,
            "month" => TopPeriod.Month,
            "year" => TopPeriod.Year,
            "all" => TopPeriod.All,
            _ => TopPeriod.Day,
        };
        return (listing, period);
    }

    private static ContentHttpResult ListingPage(HttpContext context, BoardService board, RecordStore store, string? community, string? sortText, string? t, int? page, string? query)
    {
        var (sort, period) = ParseSort(sortText, t);
        var listing = board.Listing(community, sort, period, page ?? 0, query, Viewer(context)?.Key);
        var now = store.ValidationOptions.Clock.GetUtcNow().ToUnixTimeSeconds();
        var csrf = CsrfProtection.TokenFor(context);
        var basePath = query is not null ? "/search" : community is null ? "/" : "/c/" + community;
        string Link(string? s, string? p, int pg)
        {
            var parts = new List<string>();
            if (query is not null)
            {
                parts.Add("q=" + Uri.EscapeDataString(query));
                if (community is not null)
                {
                    parts.Add("c=" + Uri.EscapeDataString(community));
                }
            }

            if (s is not null)
            {
                parts.Add("sort=" + s);
            }

            if (p is not null)
            {
                parts.Add("t=" + p);
            }

            if (pg > 0)
            {
                parts.Add("page=" + pg.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            return parts.Count == 0 ? basePath : basePath + "?" + string.Join('&', parts);
        }

        var title = query is not null ? "Search" : community is null ? "All communities" : "c/" + community;
        var self = Link(listing.Sort, listing.Period, listing.Page);
        return Page.Render(context, title, html =>
        {
            html.Raw("<div class=\"listing-head\">");
            if (query is not null)
            {
                html.Raw("<h1>Titles containing “").Text(query).Raw("”</h1>");
            }
            else
            {
                html.Element("h1", title);
                if (community is not null)
                {
                    html.Element("a", "Post here", ("href", "/submit?c=" + Uri.EscapeDataString(community)), ("class", "button"));
                }
            }

            html.Raw("</div><nav class=\"tabs\">");
            foreach (var s in s_sorts)
            {
                html.Element("a", s == "hot" ? "Hot" : s == "new" ? "New" : "Top", ("href", Link(s, null, 0)), ("class", listing.Sort == s ? "on" : null));
            }

            html.Raw("</nav>");
            if (sort == ListingSort.Top)
            {
                html.Raw("<nav class=\"tabs periods\">");
                foreach (var p in s_periods)
                {
                    html.Element("a", p, ("href", Link("top", p, 0)), ("class", listing.Period == p ? "on" : null));
                }

                html.Raw("</nav>");
            }

            if (listing.Posts.Count == 0)
            {
                html.Raw("<p class=\"empty\">No posts here").Raw(listing.Page > 0 ? " on this page" : " yet").Raw(".</p>");
            }

            html.Raw("<div class=\"posts\">");
            foreach (var post in listing.Posts)
            {
                html.Open("article", ("class", "post"), ("id", "p-" + post.Id));
                Votes(html, post.Id, post.Score, post.MyVote, csrf, self);
                html.Raw("<div class=\"main\">").Element("a", post.Title, ("class", "title"), ("href", "/p/" + post.Id));
                Meta(html, post, now, commentsLink: true);
                html.Raw("</div></article>");
            }

            html.Raw("</div><nav class=\"pages\">");
            if (listing.Page > 0)
            {
                html.Element("a", "‹ Previous", ("href", Link(listing.Sort, listing.Period, listing.Page - 1)), ("rel", "prev"));
            }

            if (listing.HasMore)
            {
                html.Element("a", "Next ›", ("href", Link(listing.Sort, listing.Period, listing.Page + 1)), ("rel", "next"));
            }

            html.Raw("</nav>");
        });
    }

    private static ContentHttpResult SubmitPage(HttpContext context, BoardService board, NewPostRequest request, string? error, int status)
    {
        var csrf = CsrfProtection.TokenFor(context);
        return Page.Render(context, "New post", html =>
        {
            html.Raw("<h1>New post</h1>");
            if (error is not null)
            {
                html.Element("p", error, ("class", "error"), ("role", "alert"));
            }

            html.FormOpen("/submit", csrf, "compose")
                .Raw("<label>Community <input name=\"community\" list=\"communities\" required maxlength=\"64\" autocapitalize=\"none\" pattern=\"[a-z0-9][a-z0-9._\\-]*\"")
                .Raw(request.Community is null ? "" : " value=\"" + Html.Encode(request.Community) + "\"").Raw("></label><datalist id=\"communities\">");
            foreach (var community in board.Communities())
            {
                html.Open("option", ("value", community.Name)).Raw("</option>");
            }

            html.Raw("</datalist><label>Title <input name=\"title\" required maxlength=\"300\"")
                .Raw(request.Title is null ? "" : " value=\"" + Html.Encode(request.Title) + "\"").Raw("></label>")
                .Raw("<label>Text <textarea name=\"body\" rows=\"8\">").Text(request.Body).Raw("</textarea></label>")
                .Raw("<button type=\"submit\">Post</button> <span class=\"hint\">Signed with your identity; this box seeds it.</span></form>");
        }, status);
    }

    internal static void Votes(Html html, string id, long score, int myVote, string csrf, string returnTo)
    {
        html.Open("div", ("class", "votes"), ("data-id", id), ("data-vote", myVote.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        html.FormOpen("/p/" + id + "/vote", csrf, "vote up", ("value", myVote == 1 ? "0" : "1"), ("return", returnTo))
            .Open("button", ("type", "submit"), ("class", myVote == 1 ? "on" : null), ("aria-pressed", myVote == 1 ? "true" : "false"), ("title", "Upvote: this box seeds it"), ("aria-label", "Upvote"))
            .Raw("▲</button></form>");
        html.Raw("<span class=\"score\" title=\"score\">").Number(score).Raw("</span>");
        html.FormOpen("/p/" + id + "/vote", csrf, "vote down", ("value", myVote == -1 ? "0" : "-1"), ("return", returnTo))
            .Open("button", ("type", "submit"), ("class", myVote == -1 ? "on" : null), ("aria-pressed", myVote == -1 ? "true" : "false"), ("title", "Downvote: stop seeding it"), ("aria-label", "Downvote"))
            .Raw("▼</button></form></div>");
    }

    private static void Meta(Html html, PostDto post, long now, bool commentsLink)
    {
        html.Raw("<div class=\"meta\">").Element("a", "c/" + post.Community, ("href", "/c/" + post.Community)).Raw(" · ");
        html.Element("span", post.AuthorName ?? Page.ShortKey(post.Author), ("class", "author"), ("title", post.Author)).Raw(" · ");
        Page.Ago(html, post.Created, now);
        if (commentsLink)
        {
            html.Raw(" · ").Element("a", post.Comments == 1 ? "1 comment" : $"{post.Comments} comments", ("href", "/p/" + post.Id));
        }

        if (post.Seeders is { } seeders)
        {
            html.Raw(" · <span class=\"seeders\">").Number(seeders).Raw(seeders == 1 ? " seeder" : " seeders").Raw("</span>");
        }

        if (post.Seeding)
        {
            html.Raw(" · <span class=\"seeding\" title=\"This box seeds it\">seeding</span>");
        }

        if (commentsLink)
        {
            html.Raw(" · ").Element("a", "magnet", ("href", post.Magnet), ("class", "magnet"));
        }

        html.Raw("</div>");
    }

    private static void CommentForm(Html html, string parentId, string csrf, string label, bool open)
    {
        if (!open)
        {
            html.Raw("<details class=\"reply\"><summary>Reply</summary>");
        }

        html.FormOpen("/p/" + parentId + "/comment", csrf, "comment")
            .Open("textarea", ("name", "body"), ("rows", "3"), ("required", "required"), ("aria-label", label)).Raw("</textarea>")
            .Raw("<button type=\"submit\">").Text(label == "Add a comment" ? "Comment" : "Reply").Raw("</button></form>");
        if (!open)
        {
            html.Raw("</details>");
        }
    }

    private static void CommentList(Html html, IReadOnlyList<CommentDto> comments, string csrf, string here, long now, bool member)
    {
        if (comments.Count == 0)
        {
            return;
        }

        html.Raw("<ul class=\"comment-list\">");
        foreach (var comment in comments)
        {
            html.Open("li", ("id", "c-" + comment.Id)).Raw("<div class=\"comment\">");
            html.Raw("<div class=\"meta\">").Element("span", comment.AuthorName ?? Page.ShortKey(comment.Author), ("class", "author"), ("title", comment.Author)).Raw(" · ");
            Page.Ago(html, comment.Created, now);
            html.Raw(" · ").Element("a", "link", ("href", "/p/" + comment.Id)).Raw("</div>");
            html.Element("div", comment.Retracted ? "[removed by its author]" : comment.Body, ("class", comment.Retracted ? "text retracted" : "text"));
            html.Raw("<div class=\"actions\">");
            Votes(html, comment.Id, comment.Score, comment.MyVote, csrf, here);
            if (member)
            {
                CommentForm(html, comment.Id, csrf, "Reply", open: false);
            }

            html.Raw("</div></div>");
            CommentList(html, comment.Replies, csrf, here, now, member);
            html.Raw("</li>");
        }

        html.Raw("</ul>");
    }
}
