using System.Text.Json;
using System.Text.Json.Serialization;
using DcAssets.EventStore;
using DcAssets.Web.Api;
using DcAssets.Web.Assets;
using DcAssets.Web.Assets.Labels;
using DcAssets.Web.Identity;
using DcAssets.Web.Operations;
using DcAssets.Web.Telemetry;
using DcAssets.Web.Ui;
using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;

namespace DcAssets.Web;

/// <summary>Composition of the host: Program.cs only calls these two; each slice maps its own endpoints.</summary>
public static class Hosting
{
    public static WebApplicationBuilder AddDcAssets(this WebApplicationBuilder builder)
    {
        // Structured logs: one JSON object per line when Logging:Format=json (or DCASSETS_LOG_FORMAT=json).
        if ((builder.Configuration["Logging:Format"] ?? Environment.GetEnvironmentVariable("DCASSETS_LOG_FORMAT")) == "json")
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }
        var cs = DcAssetsStore.ResolveConnectionString(key => builder.Configuration[key]);
        builder.Services.AddSingleton(_ => DcAssetsStore.OpenAsync(cs).GetAwaiter().GetResult());
        // People, their sign-ins and telemetry are on Marten already; the other slices follow (issue 11).
        // Its async daemon runs telemetry's rollups and alarm history, and moves the high-water mark the sealer seals
        // up to (MartenSealingService).
        // Marten works on the database our store works on, whichever that is (tests give the host a store of theirs).
        builder.Services.AddMarten(sp =>
            {
                var o = new StoreOptions();
                DcAssetsStore.ConfigureMarten(o, sp.GetRequiredService<EventStore.EventStore>().Options.ConnectionString);
                return o;
            }).ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(JasperFx.Events.Daemon.DaemonMode.HotCold);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemResponses.NameTheBody);
        builder.Services.AddExceptionHandler<ProblemResponses>();
        // Binding failures (a bad ?asOf=, page=x, malformed JSON) throw in every environment, not only in
        // Development, so ProblemResponses answers them with problem details naming the field.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(PublicUrl.From(builder.Configuration));
        builder.Services.AddSingleton<DcAssetsMetrics>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddIdentitySlice(builder.Configuration);
        builder.Services.AddUi();
        builder.Services.AddOperations();
        builder.Services.AddTelemetry();
        return builder;
    }

    public static WebApplication MapDcAssets(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<DcAssetsMetrics>(); // listening from the first request on
        var racks = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DcAssets.Assets.Racks");
        DcAssets.Assets.Racks.RackLock.Log = message => racks.LogWarning("{Message}", message);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLocalization();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapGet("/health", Health).AllowAnonymous();
        // Scrapers carry no credentials; the figures name no person and no asset. Prometheus text only (no
        // OpenMetrics on request): we publish no exemplars, and the format stays the one scrapers always got.
        app.MapMetrics(s => (s.Registry, s.EnableOpenMetrics) = (metrics.Registry, false), "/metrics")
            .WithMetadata(new HttpMethodMetadata(["GET"])).AllowAnonymous();

        var api = app.MapGroup("/api/v1");
        api.MapIdentity();
        api.MapPlaceEndpoints();
        api.MapAssetEndpoints();
        api.MapInventoryEndpoints();
        api.MapAssetLabels();

        app.MapUi();
        app.MapOperations();
        app.MapTelemetry();
        return app;
    }

    // Healthy means the database answers and no projection is faulted (ProjectionFaults is the seam
    // for the operations module to answer from the daemon itself once it offers that).
    private static async Task<IResult> Health(EventStore.EventStore store, IDocumentStore marten, CancellationToken ct)
    {
        try
        {
            await using var cmd = store.DataSource.CreateCommand("select 1");
            await cmd.ExecuteScalarAsync(ct);
            var faulted = await ProjectionFaults(store, marten, ct);
            return faulted.Count == 0
                ? Results.Ok(new { status = "healthy", database = "reachable", projections = "running" })
                : Results.Json(new { status = "unhealthy", database = "reachable", projections = faulted }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or EventStoreException or TimeoutException)
        {
            return Results.Json(new { status = "unhealthy", database = ex.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>Names and last errors of faulted projections: our daemon's progress table, then Marten's.</summary>
    public static async Task<IReadOnlyList<string>> ProjectionFaults(EventStore.EventStore store, IDocumentStore marten,
        CancellationToken ct)
    {
        await using var cmd = store.DataSource.CreateCommand(
            $"select name || ': ' || coalesce(last_error, 'faulted') from {store.Schema}.projection_progress where state = 'faulted' order by name");
        var list = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(r.GetString(0));
        list.AddRange(await DcAssets.Projections.ProjectionBoard.FaultsAsync(marten, store.DataSource, ct));
        return list;
    }
}
