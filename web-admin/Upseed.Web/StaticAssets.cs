using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Upseed.Web;

/// <summary>
/// The stylesheet and script, embedded in this assembly (no files to deploy beside the binary). Pages link them with
/// a content hash in the query (<c>/static/app.css?v=…</c>), so browsers may cache them for a year and still get a
/// new version the moment it changes.
/// </summary>
internal static class StaticAssets
{
    private static readonly FrozenDictionary<string, Asset> s_assets = Load();

    public static string Url(string name) => "/static/" + name + "?v=" + s_assets[name].Version;

    public static IEnumerable<string> Names => s_assets.Keys;

    public static RouteHandlerBuilder MapStaticAssets(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/static/{name}", Serve).WithName("static").ExcludeFromDescription();

    internal static Results<FileContentHttpResult, NotFound> Serve(HttpContext context, string name)
    {
        if (!s_assets.TryGetValue(name, out var asset))
        {
            return TypedResults.NotFound();
        }

        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.File(asset.Bytes, asset.ContentType, entityTag: new EntityTagHeaderValue("\"" + asset.Version + "\""));
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        const string prefix = "upseed-web/";
        var assembly = typeof(StaticAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var name = resource[prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            assets[name] = new Asset(bytes, type, Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string Version);
}
