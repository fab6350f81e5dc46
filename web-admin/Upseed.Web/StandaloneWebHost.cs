using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Upseed.Store;

namespace Upseed.Web;

/// <summary>
/// The web board and admin on their own over a data folder, without the seeding node: for tests, the page-time
/// benchmark and development. <c>upseed node</c> hosts the same endpoints next to the node instead.
/// </summary>
public static class StandaloneWebHost
{
    /// <summary>Where the web listens unless told otherwise: loopback only, never the network by default.</summary>
    public static IPEndPoint DefaultListen { get; } = new(IPAddress.Loopback, 8080);

    public static WebApplication Build(string dataFolder, IPEndPoint? listen = null, Action<WebOptions>? configure = null,
        Action<ILoggingBuilder>? logging = null, StoreOptions? storeOptions = null)
    {
        ArgumentNullException.ThrowIfNull(dataFolder);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = "Upseed.Web" });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(listen ?? DefaultListen));
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(sp => RecordStore.Open(dataFolder, storeOptions, sp.GetRequiredService<ILogger<RecordStore>>()));
        builder.Services.AddUpseedWeb(configure);
        var app = builder.Build();
        app.MapUpseedWeb();
        return app;
    }
}
