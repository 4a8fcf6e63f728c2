using DcAssets.Assets.Places;
using DcAssets.Assets.Racks;
using DcAssets.Web.Identity;
using DcAssets.Web.Api;
using Marten;
using Wolverine;

namespace DcAssets.Web.Assets;

/// <summary>/api/v1/sites, /rooms, /racks: the places assets stand in, and a rack's front view.</summary>
public static class PlaceEndpoints
{
    public static IEndpointRouteBuilder MapPlaceEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("").WithTags("Places");
        g.MapGet("/places", async (IDocumentStore store, CancellationToken ct) =>
            await store.QuerySession().QueryAsync<Place>("order by data->>'kind', upper(data->>'code')", ct))
            .RequireAuthorization(Policies.Read);

        g.MapPost("/sites", (AddSite c, HttpContext http, IMessageBus bus, CancellationToken ct) =>
            Add(http, bus, c, ct)).RequireAuthorization(Policies.EditAssets);
        g.MapPost("/rooms", (AddRoom c, HttpContext http, IMessageBus bus, CancellationToken ct) =>
            Add(http, bus, c, ct)).RequireAuthorization(Policies.EditAssets);
        g.MapPost("/racks", (AddRack c, HttpContext http, IMessageBus bus, CancellationToken ct) =>
            Add(http, bus, c, ct)).RequireAuthorization(Policies.EditAssets);

        g.MapGet("/racks/{code}/elevation",
            async (string code, DateTimeOffset? asOf, IDocumentStore store, CancellationToken ct) =>
            await RackElevation.LoadAsync(store.QuerySession(), code, asOf, ct) is { } e
                ? Results.Ok(e) : IdentityEndpoints.NotFound("rack", code))
            .RequireAuthorization(Policies.Read);
        g.MapGet("/racks/{code}/elevation.svg",
            async (string code, DateTimeOffset? asOf, IDocumentStore store, CancellationToken ct) =>
            await RackElevation.LoadAsync(store.QuerySession(), code, asOf, ct) is { } e
                ? Results.Text(e.ToSvg(), "image/svg+xml")
                : IdentityEndpoints.NotFound("rack", code))
            .RequireAuthorization(Policies.Read);
        return api;
    }

    private static async Task<IResult> Add(HttpContext http, IMessageBus bus, object command, CancellationToken ct)
    {
        var place = await bus.InvokeAsync<Place>(http, command, ct);
        return Results.Created($"/api/v1/places/{place.Id}", place);
    }
}
