using System.Collections.Concurrent;
using System.Diagnostics;
using DcAssets.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DcAssets.Benchmarks;

/// <summary>
/// The web host inside the benchmark process, as the request benchmarks (api, web) measure it: Kestrel on a free
/// loopback port and the product's own composition (AddDcAssets, MapDcAssets) on a bench database, without its
/// background services, so no poller, sealer or daemon competes with the requests. Beside the product it maps
/// <see cref="ConstantPath"/>, the baseline: the same pipeline answering a constant the benchmark sets.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    public const string ConstantPath = "/bench/constant";

    private readonly WebApplication _app;
    private string _constant = "", _contentType = "text/plain";
    private ConcurrentQueue<(string Path, double Ms)>? _timings;

    private BenchHost(WebApplication app) => _app = app;

    /// <summary>Where Kestrel listens, known once started.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>
    /// Starts the host. <paramref name="commands"/> keeps Wolverine's runtime (itself a hosted service), for a
    /// benchmark that sends commands, such as a sign-in; it runs no async projections then (DCASSETS_DAEMON=off)
    /// and polls nothing, so a benchmark that shows those read models catches them up before.
    /// </summary>
    public static async Task<BenchHost> StartAsync(BenchContext context, string connectionString, bool commands,
        Action<WebApplicationBuilder>? configure, CancellationToken ct)
    {
        // Named as the web host, not this program: Razor Pages finds its pages in the application's assembly.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(Hosting).Assembly.GetName().Name,
            ContentRootPath = Path.Combine(context.RepoRoot, "src", "DcAssets.Web"),
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // appsettings.json asks for more (Information by default and for the host's lifetime): warnings only here.
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.Configuration["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning";
        builder.Configuration[DcAssetsStore.ConnectionKey] = connectionString;
        if (commands)
        {
            // Wolverine's runtime also shares out the nodes' work: here neither async projections nor poll groups.
            builder.Configuration["DCASSETS_DAEMON"] = "off";
            builder.Configuration["DCASSETS_TELEMETRY"] = "off";
        }
        configure?.Invoke(builder);
        builder.AddDcAssets();
        // DCASSETS_DB (set by ops/bench to the server) wins over the configuration key: the database is a service.
        builder.Services.RemoveAll<DcAssetsDatabase>();
        builder.Services.AddSingleton(new DcAssetsDatabase(connectionString));
        builder.Services.RemoveAll<IHostedService>();
        if (commands)
            builder.Services.AddSingleton<IHostedService>(sp =>
                (IHostedService)sp.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>());
        var app = builder.Build();
        var host = new BenchHost(app);
        // First in the pipeline, so a request's server time is all of the host's work on it, and none of the
        // client's, which shares the machine.
        app.Use(async (http, next) =>
        {
            var timings = host._timings;
            var started = Stopwatch.GetTimestamp();
            await next(http);
            timings?.Enqueue((http.Request.Path + http.Request.QueryString,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        });
        app.MapDcAssets();
        app.MapGet(ConstantPath, () => Results.Text(host._constant, host._contentType)).AllowAnonymous();
        await app.StartAsync(ct);
        host.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First());
        return host;
    }

    /// <summary>What <see cref="ConstantPath"/> answers from now on.</summary>
    public void Answer(string body, string contentType) => (_constant, _contentType) = (body, contentType);

    /// <summary>Records each request's server time (path and query, milliseconds) from now until stopped.</summary>
    public void StartTiming() => _timings = new ConcurrentQueue<(string, double)>();

    /// <summary>
    /// The requests started since <see cref="StartTiming"/>. Their middleware may record the last of them just
    /// after the client has its answer, so call this once the clients have stopped, and read it a moment later.
    /// </summary>
    public ConcurrentQueue<(string Path, double Ms)> StopTiming()
    {
        var timings = _timings ?? throw new InvalidOperationException("timing was not started");
        _timings = null;
        return timings;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
