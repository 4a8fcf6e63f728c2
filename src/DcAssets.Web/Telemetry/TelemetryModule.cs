using DcAssets.Telemetry;
using DcAssets.Telemetry.Profiles;

namespace DcAssets.Web.Telemetry;

/// <summary>
/// Telemetry in the web node: the poller (its poll groups as Wolverine agents), trap listener and retention as a
/// hosted service (switched off by DCASSETS_TELEMETRY=off or Telemetry:Enabled=false), the /api/v1/telemetry
/// endpoints and the dashboard's static files (wwwroot: its scripts and uPlot).
/// </summary>
public static class TelemetryModule
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        // The API validates configurations against the same profiles the poller loads.
        services.AddSingleton(sp => TelemetryService.LoadProfiles(sp.GetRequiredService<IConfiguration>(),
            sp.GetRequiredService<ILogger<ProfileCatalog>>()));
        services.AddSingleton(sp => AssetRegister.In(sp.GetRequiredService<Marten.IDocumentStore>()));
        services.AddSingleton(_ => DcAssets.Telemetry.Polling.CredentialKey.FromEnvironment());
        services.AddSingleton<PollerNode>();
        // Wolverine shares the poll groups out among the nodes through this agent family.
        services.AddSingleton<Wolverine.Runtime.Agents.IAgentFamily, PollGroupAgents>();
        return services.AddHostedService<TelemetryService>();
    }

    public static WebApplication MapTelemetry(this WebApplication app)
    {
        // The dashboard's scripts sit behind the same sign-in as its pages (this runs after authorization).
        app.UseStaticFiles();
        app.MapGroup("/api/v1/telemetry").WithTags("Telemetry").MapTelemetryEndpoints();
        return app;
    }
}
