using DcAssets.Assets.Places;
using DcAssets.Assets.Racks;
using DcAssets.Web.Identity;
using Marten;

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

        g.MapPost("/sites", async (AddSite c, HttpContext http, IDocumentStore store, CancellationToken ct) =>
            await Add(http, store, PlaceKind.Site, AddPlace.Decide(c), ct)).RequireAuthorization(Policies.EditAssets);
        g.MapPost("/rooms", async (AddRoom c, HttpContext http, IDocumentStore store, CancellationToken ct) =>
        {
            var site = await Load(store, PlaceKind.Site, c.Site, ct);
            return await Add(http, store, PlaceKind.Room, AddPlace.Decide(c, site), ct);
        }).RequireAuthorization(Policies.EditAssets);
        g.MapPost("/racks", async (AddRack c, HttpContext http, IDocumentStore store, CancellationToken ct) =>
        {
            var room = await Load(store, PlaceKind.Room, c.Room, ct);
            return await Add(http, store, PlaceKind.Rack, AddPlace.Decide(c, room), ct);
        }).RequireAuthorization(Policies.EditAssets);

        g.MapGet("/racks/{code}/elevation", async (string code, DateTimeOffset? asOf, IDocumentStore store, CancellationToken ct) =>
            await RackElevation.LoadAsync(store.QuerySession(), code, asOf, ct) is { } e ? Results.Ok(e) : IdentityEndpoints.NotFound("rack", code))
            .RequireAuthorization(Policies.Read);
        g.MapGet("/racks/{code}/elevation.svg", async (string code, DateTimeOffset? asOf, IDocumentStore store, CancellationToken ct) =>
            await RackElevation.LoadAsync(store.QuerySession(), code, asOf, ct) is { } e
                ? Results.Text(e.ToSvg(), "image/svg+xml")
                : IdentityEndpoints.NotFound("rack", code))
            .RequireAuthorization(Policies.Read);
        return api;
    }

    private static async Task<Place?> Load(IDocumentStore store, PlaceKind kind, string? code, CancellationToken ct) =>
        DcAssets.Assets.AssetVocabulary.IsValidTag(code?.Trim())
            ? await store.QuerySession().LoadAsync<Place>(Place.StreamId(kind, code!.Trim()), ct)
            : null;

    private static async Task<IResult> Add(HttpContext http, IDocumentStore store, PlaceKind kind, object added, CancellationToken ct)
    {
        var code = added switch { SiteAdded site => site.Code, RoomAdded room => room.Code, RackAdded rack => rack.Code, _ => "" };
        var id = Place.StreamId(kind, code);
        await using var s = store.OpenSession(http.Actor());
        if (await s.Events.FetchStreamStateAsync(id, ct) is not null)
            throw DcAssets.CommandRejected.Field("code", DcAssets.Assets.AssetRefusals.PlaceExists(DcAssets.Assets.AssetVocabulary.Name(kind), code), DcAssets.RejectionKind.Conflict);
        s.Events.StartStream(id, added);
        try { await s.SaveChangesAsync(ct); }
        catch (Marten.Exceptions.ExistingStreamIdCollisionException)
        {
            throw DcAssets.CommandRejected.Field("code", DcAssets.Assets.AssetRefusals.PlaceExists(DcAssets.Assets.AssetVocabulary.Name(kind), code), DcAssets.RejectionKind.Conflict);
        }
        return Results.Created($"/api/v1/places/{id}", await s.LoadAsync<Place>(id, ct));
    }
}
