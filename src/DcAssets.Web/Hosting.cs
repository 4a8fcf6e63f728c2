using DcAssets.EventStore;
using DcAssets.Web.Operations;

namespace DcAssets.Web;

/// <summary>Composition of the host: Program.cs only calls these two.</summary>
public static class Hosting
{
    public static WebApplicationBuilder AddDcAssets(this WebApplicationBuilder builder)
    {
        var cs = DcAssetsStore.ResolveConnectionString(key => builder.Configuration[key]);
        builder.Services.AddSingleton(_ => DcAssetsStore.OpenAsync(cs).GetAwaiter().GetResult());
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddOperations();
        return builder;
    }

    public static WebApplication MapDcAssets(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/health", Health).AllowAnonymous();
        app.MapOperations();
        return app;
    }

    // Healthy means the database answers; later slices add their own checks (projection faults).
    private static async Task<IResult> Health(EventStore.EventStore store, CancellationToken ct)
    {
        try
        {
            await using var cmd = store.DataSource.CreateCommand("select 1");
            await cmd.ExecuteScalarAsync(ct);
            return Results.Ok(new { status = "healthy", database = "reachable" });
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or EventStoreException or TimeoutException)
        {
            return Results.Json(new { status = "unhealthy", database = ex.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
