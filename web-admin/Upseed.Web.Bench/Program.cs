using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Upseed.Web;

// Usage: dotnet run -c Release --project web-admin/Upseed.Web.Bench -- DATA_FOLDER [RUNS]
// Serves the board over DATA_FOLDER on 127.0.0.1 (a free port) and times GET requests from one client over loopback:
// the time from sending the request to the last byte of the page, so an upper bound of the server's time.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Upseed.Web.Bench DATA_FOLDER [RUNS]");
    return 2;
}

var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
await using var app = StandaloneWebHost.Build(args[0], new IPEndPoint(IPAddress.Loopback, 0));
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
using var http = new HttpClient { BaseAddress = new Uri(address) };

var pages = new[] { "/?sort=top&t=week", "/?sort=top&t=week&page=1", "/?sort=top&t=month", "/", "/?sort=new&page=10", "/c/bench-3?sort=top&t=week" };
Console.WriteLine($"store: {args[0]}; {runs} requests per page after 20 warm-up requests; {Environment.ProcessorCount} cores");
foreach (var page in pages)
{
    for (var i = 0; i < 20; i++)
    {
        await http.GetByteArrayAsync(page);
    }

    var times = new double[runs];
    var bytes = 0;
    for (var i = 0; i < runs; i++)
    {
        var clock = Stopwatch.StartNew();
        bytes = (await http.GetByteArrayAsync(page)).Length;
        times[i] = clock.Elapsed.TotalMilliseconds;
    }

    Array.Sort(times);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{page,-32} p50 {times[runs / 2],7:0.00} ms  p95 {times[(int)(runs * 0.95)],7:0.00} ms  max {times[^1],7:0.00} ms  page {bytes:N0} B"));
}

// First load: the front page and what it links (stylesheet and script), as a browser with an empty cache fetches them.
var html = await http.GetStringAsync("/");
long total = System.Text.Encoding.UTF8.GetByteCount(html);
var assets = Regex.Matches(html, "(?:href|src)=\"(/static/[^\"]+)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
foreach (var asset in assets)
{
    var length = (await http.GetByteArrayAsync(asset)).Length;
    Console.WriteLine($"  {asset}: {length:N0} B");
    total += length;
}

Console.WriteLine($"first load: {total:N0} B uncompressed (front page {System.Text.Encoding.UTF8.GetByteCount(html):N0} B + {assets.Count} assets)");
await app.StopAsync();
return 0;
