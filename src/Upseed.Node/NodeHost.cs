using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Upseed.Node.Discovery;
using Upseed.Store;
using Upseed.Torrent.Swarm;
using Upseed.Web;

namespace Upseed.Node;

/// <summary>
/// The node process: the store, the seeding listener, and a small web server (for now <c>GET /healthz</c>).
/// Stops gracefully on SIGTERM or Ctrl-C (the generic host's console lifetime).
/// </summary>
public static class NodeHost
{
    /// <param name="options">How the node runs.</param>
    /// <param name="logging">Adds or filters log providers (tests capture logs).</param>
    /// <param name="lsdTransports">Makes LSD's multicast transports; real sockets when null (tests pass sockets made in a network namespace).</param>
    public static WebApplication Build(NodeOptions options, Action<ILoggingBuilder>? logging = null, Func<System.Net.Sockets.AddressFamily, Upseed.Torrent.Lsd.ILsdTransport>? lsdTransports = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = "Upseed.Node" });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(options.Web));
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        // Request-level logs from ASP.NET Core would drown the node's own.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        logging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new EngineOptions());
        builder.Services.AddSingleton(sp => RecordStore.Open(options.DataFolder, logger: sp.GetRequiredService<ILogger<RecordStore>>()));
        builder.Services.AddSingleton<SeedingService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SeedingService>());
        builder.Services.AddHostedService(sp => new TrackerAnnouncer(
            sp.GetRequiredService<RecordStore>(), sp.GetRequiredService<SeedingService>(), options, sp.GetRequiredService<ILogger<TrackerAnnouncer>>()));
        builder.Services.AddSingleton(_ => new KnownPeers());
        builder.Services.AddSingleton(sp => new DiscoveryService(
            sp.GetRequiredService<RecordStore>(),
            sp.GetRequiredService<SeedingService>(),
            options,
            sp.GetRequiredService<KnownPeers>(),
            sp.GetRequiredService<ILoggerFactory>(),
            lsdTransports: lsdTransports));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DiscoveryService>());

        // The web board and admin (web-admin/Upseed.Web); its dashboard charts the seeding engine's counters.
        builder.Services.AddUpseedWeb(web => web.MetricSources.Add(sp => sp.GetRequiredService<SeedingService>().Listener?.Counters is { } c
            ? [new("seeding.connections", c.ActiveConnections), new("seeding.sessions", c.Sessions), new("seeding.bytes", c.BytesServed)]
            : []));

        var app = builder.Build();
        app.MapGet("/healthz", (SeedingService seeding, DiscoveryService discovery) =>
        {
            if (!seeding.IsReady || seeding.Listener is not { } listener)
            {
                return Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            var counters = listener.Counters;
            return Results.Json(new
            {
                status = "ok",
                listen = listener.LocalEndPoint.ToString(),
                connections = counters.ActiveConnections,
                sessions = counters.Sessions,
                blocksServed = counters.BlocksServed,
                discovery = discovery.Status(),
            });
        });
        app.MapUpseedWeb();
        return app;
    }
}
