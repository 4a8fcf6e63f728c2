using System.Text.Json;
using System.Text.Json.Serialization;
using DcAssets.Web.Api;
using DcAssets.Web.Assets;
using DcAssets.Web.Assets.Labels;
using DcAssets.Web.Faults;
using DcAssets.Web.Identity;
using DcAssets.Web.Operations;
using DcAssets.Web.Telemetry;
using DcAssets.Web.Ui;
using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;
using Wolverine;
using Wolverine.Marten;
using JasperFx.Resources;

namespace DcAssets.Web;

/// <summary>Composition of the host: Program.cs only calls these two; each slice maps its own endpoints.</summary>
public static class Hosting
{
    public static WebApplicationBuilder AddDcAssets(this WebApplicationBuilder builder)
    {
        // Structured logs: one JSON object per line when Logging:Format=json (or DCASSETS_LOG_FORMAT=json).
        if ((builder.Configuration["Logging:Format"]
            ?? Environment.GetEnvironmentVariable("DCASSETS_LOG_FORMAT")) == "json")
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }
        var cs = DcAssetsStore.ResolveConnectionString(key => builder.Configuration[key]);
        // The database, as a service: tests give the host one of their own.
        builder.Services.AddSingleton(new DcAssetsDatabase(cs));
        // The seal key lives outside the database: a file or an environment variable (see README); without one,
        // nothing is sealed and verify checks the stream chains only.
        if (SealingOptions.FromEnvironment() is { } sealing) builder.Services.AddSingleton(sealing);
        builder.Services.AddSingleton(sp => new Npgsql.NpgsqlDataSourceBuilder(
            sp.GetRequiredService<DcAssetsDatabase>().ConnectionString) { Name = DcAssetsStore.Schema }.Build());
        // Wolverine shares the async projections out among the nodes (each one an agent, moved to another node when
        // its node stops or dies); they also move the high-water mark the sealer seals up to. A node started with
        // DCASSETS_DAEMON=off runs none of them, and never leads the nodes (the leader places the projections, so it
        // must know them): at least one node must run them.
        var projections = !string.Equals(builder.Configuration["DCASSETS_DAEMON"], "off",
            StringComparison.OrdinalIgnoreCase);
        builder.Services.AddMarten(sp =>
            {
                var o = new StoreOptions();
                DcAssetsStore.ConfigureMarten(o, sp.GetRequiredService<DcAssetsDatabase>().ConnectionString);
                // Major alarms open faults: a subscription Wolverine runs on one node, like the async projections.
                o.Events.Subscribe(new DcAssets.Faults.AlarmsOpenFaults(
                    sp.GetRequiredService<DcAssets.Faults.ContractProfile>()));
                return o;
            }).ApplyAllDatabaseChangesOnStartup()
            // Handlers' sessions come from Wolverine, enrolled in its outbox: an event and the message it causes
            // commit together. Its envelope tables live in the product's schema.
            .IntegrateWithWolverine(w =>
            {
                w.MessageStorageSchemaName = DcAssetsStore.Schema;
                w.UseWolverineManagedEventSubscriptionDistribution = projections;
            })
            .UseLightweightSessions();
        builder.Host.UseWolverine(o =>
        {
            UseCases(o);
            Nodes(o.Durability, builder.Configuration, leads: projections);
        });
        builder.Services.AddResourceSetupOnStartup();
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
        builder.Services.AddFaults();
        return builder;
    }

    /// <summary>
    /// Every use case is a Wolverine handler, named slice by slice rather than found by convention, so nothing
    /// becomes a handler by the shape of its name. Handler code is generated ahead (Internal/Generated, kept current
    /// by a test) and compiled at start only when missing or stale.
    /// </summary>
    private static void UseCases(WolverineOptions opts)
    {
        opts.ApplicationAssembly = typeof(Hosting).Assembly;
        opts.Discovery.DisableConventionalDiscovery();
        foreach (var type in DcAssets.Identity.IdentitySlice.UseCases.Concat(DcAssets.Assets.AssetsSlice.UseCases)
                     .Concat(DcAssets.Telemetry.TelemetrySlice.UseCases).Concat(DcAssets.Faults.FaultsSlice.UseCases))
            opts.Discovery.IncludeType(type);
        opts.Discovery.IncludeType(typeof(ArchiveExpiredReadingsHandler));
        // Handlers that leave the commit to the caller have their session saved after them.
        opts.Policies.AutoApplyTransactions();
        opts.Policies.AddMiddleware(typeof(ActorStamp));
        opts.Policies.UseDurableLocalQueues();
        opts.CodeGeneration.TypeLoadMode = JasperFx.CodeGeneration.TypeLoadMode.Auto;
    }

    /// <summary>
    /// How fast the nodes notice each other: every node writes a heartbeat every Nodes:HealthCheckSeconds (5), and
    /// one silent for Nodes:StaleSeconds (20) is taken for dead, its poll groups and projections moved to the others
    /// at the leader's next check. A poll group thus moves within stale + one check of a node's death: two
    /// intervals of devices polled every 15 s or slower with the defaults.
    /// </summary>
    private static void Nodes(DurabilitySettings durability, IConfiguration config, bool leads)
    {
        durability.LeadershipEligible = leads;
        var check = Settings.Seconds(config, "Nodes:HealthCheckSeconds", TimeSpan.FromSeconds(5), 0.2, 600);
        var stale = Settings.Seconds(config, "Nodes:StaleSeconds", TimeSpan.FromSeconds(20), 0.5, 3600);
        if (stale <= check)
            throw new InvalidOperationException(
                $"configuration Nodes:StaleSeconds ({stale.TotalSeconds}) must be longer than " +
                $"Nodes:HealthCheckSeconds ({check.TotalSeconds})");
        durability.HealthCheckPollingTime = check;
        durability.StaleNodeTimeout = stale;
        durability.FirstHealthCheckExecution = check < TimeSpan.FromSeconds(1) ? check : TimeSpan.FromSeconds(1);
    }

    public static WebApplication MapDcAssets(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<DcAssetsMetrics>(); // listening from the first request on
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLocalization();
        app.UseShellFiles();
        app.UseMetricsAccess();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapGet("/health", Health).AllowAnonymous();
        // Scrapers carry no session (MetricsAccess lets in loopback or the scrape token). Prometheus text only (no
        // OpenMetrics on request): we publish no exemplars, and the format stays the one scrapers always got.
        app.MapMetrics(s => (s.Registry, s.EnableOpenMetrics) = (metrics.Registry, false), "/metrics")
            .WithMetadata(new HttpMethodMetadata(["GET"])).AllowAnonymous();

        var api = app.MapGroup("/api/v1");
        api.MapIdentity();
        api.MapPlaceEndpoints();
        api.MapAssetEndpoints();
        api.MapInventoryEndpoints();
        api.MapAssetLabels();
        api.MapFaultEndpoints();

        app.MapUi();
        app.MapOperations();
        app.MapTelemetry();
        return app;
    }

    // Healthy means the database answers and no async projection is faulted.
    private static async Task<IResult> Health(Npgsql.NpgsqlDataSource db, IDocumentStore marten, CancellationToken ct)
    {
        try
        {
            await using (var cmd = db.CreateCommand("select 1")) await cmd.ExecuteScalarAsync(ct);
            var faulted = await DcAssets.Projections.ProjectionBoard.FaultsAsync(marten, db, ct);
            return faulted.Count == 0
                ? Results.Ok(new { status = "healthy", database = "reachable", projections = "running" })
                : Results.Json(new { status = "unhealthy", database = "reachable", projections = faulted },
                    statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            return Results.Json(new { status = "unhealthy", database = ex.Message },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

/// <summary>The database the host works on (DCASSETS_DB or ConnectionStrings:DcAssets).</summary>
public sealed record DcAssetsDatabase(string ConnectionString);
