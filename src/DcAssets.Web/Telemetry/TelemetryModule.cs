namespace DcAssets.Web.Telemetry;

/// <summary>
/// Telemetry in the web node: the poller, trap listener and retention as a hosted service. The HTTP API
/// waits for the identity slice's authorization policies, so nothing is mapped yet.
/// </summary>
public static class TelemetryModule
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services) =>
        services.AddHostedService<TelemetryService>();

    public static IEndpointRouteBuilder MapTelemetry(this IEndpointRouteBuilder app) => app;
}
