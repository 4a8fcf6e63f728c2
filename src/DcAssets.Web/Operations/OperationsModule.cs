namespace DcAssets.Web.Operations;

/// <summary>Projection daemon and history verification: the store's own operations, hosted in the web node.</summary>
public static class OperationsModule
{
    public static IServiceCollection AddOperations(this IServiceCollection services) =>
        services.AddHostedService<MartenSealingService>().AddHostedService<ProjectionRequestService>();

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        OperationsEndpoints.Map(app);
        return app;
    }
}
