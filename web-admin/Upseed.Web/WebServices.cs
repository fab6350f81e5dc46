using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Upseed.Web;

/// <summary>
/// Wires the web board and admin into a host that already registers a <see cref="Upseed.Store.RecordStore"/>:
/// <c>builder.Services.AddUpseedWeb()</c> then <c>app.MapUpseedWeb()</c>.
/// </summary>
public static class WebServices
{
    /// <summary>Rate-limit policy on setup, login, unlock and import: a fixed window per client address.</summary>
    public const string AuthRateLimit = "upseed-auth";

    public static IServiceCollection AddUpseedWeb(this IServiceCollection services, Action<WebOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new WebOptions();
        configure?.Invoke(options);
        if (options.Pbkdf2Iterations < PasswordHash.MinimumIterations
            || (options.KeyFileIterations < PasswordHash.MinimumIterations && !options.AllowWeakKeyFilesForTests))
        {
            throw new ArgumentException($"PBKDF2 needs at least {PasswordHash.MinimumIterations:N0} iterations.", nameof(configure));
        }

        services.AddSingleton(options);
        services.AddSingleton<SessionStore>();
        services.AddSingleton<AdminAccount>();
        services.AddSingleton<MemberKeyStore>();
        services.AddSingleton<IdentityService>();
        services.AddSingleton<StoreStats>();
        services.AddSingleton<HiddenList>();
        services.AddSingleton<BoardService>();
        services.AddSingleton<MetricsHistory>();
        services.AddSingleton<MetricsSampler>();
        services.AddSingleton<AdminStatus>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsSampler>());
        services.AddHostedService<SetupAnnouncer>();
        services.AddSingleton<RingBufferLoggerProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, RingBufferLoggerProvider>(sp => sp.GetRequiredService<RingBufferLoggerProvider>()));

        services.AddAuthentication(UpseedAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, UpseedAuthenticationHandler>(UpseedAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(UpseedAuthenticationHandler.AdminPolicy, p => p.RequireRole(UpseedAuthenticationHandler.AdminRole))
            .AddPolicy(UpseedAuthenticationHandler.MemberPolicy, p => p.RequireClaim(UpseedAuthenticationHandler.MemberClaim));
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(AuthRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.AuthAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        services.AddOpenApi();
        return services;
    }

    /// <summary>
    /// Adds the web's middleware (security headers and CSRF check, authentication, authorization, rate limiting) and
    /// maps its endpoints: the JSON API under <c>/api</c> (OpenAPI document at <c>/openapi/v1.json</c>), the board's
    /// and admin's pages, and <c>/static/</c>.
    /// </summary>
    public static WebApplication MapUpseedWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<WebSecurityMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        // Every web endpoint carries the CSRF marker; the forms are checked by WebSecurityMiddleware instead of
        // ASP.NET Core's antiforgery (double submit needs no server-side key ring; see CsrfProtection).
        var web = app.MapGroup("").WithMetadata(WebEndpointMetadata.Instance).DisableAntiforgery();
        web.MapBoardApi();
        web.MapPostsApi();
        web.MapVotesApi();
        web.MapIdentitiesApi();
        web.MapAuthApi();
        web.MapAdminApi();
        web.MapBoardPages();
        web.MapMemberPages();
        web.MapAdminPages();
        web.MapStaticAssets();
        app.MapOpenApi().WithMetadata(WebEndpointMetadata.Instance);
        return app;
    }

    private sealed class SetupAnnouncer(AdminAccount account) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            account.AnnounceSetupCodeIfNeeded();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
