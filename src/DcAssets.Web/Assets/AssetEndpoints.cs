using DcAssets.Assets;
using DcAssets.Web.Identity;
using Marten;

namespace DcAssets.Web.Assets;

/// <summary>/api/v1/assets: list, register, read (as of any moment), and one endpoint per kind of change.</summary>
public static class AssetEndpoints
{
    public static IEndpointRouteBuilder MapAssetEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/assets").WithTags("Assets");
        g.MapInventoryPage("/");
        g.MapPost("/", async (AssetInput c, HttpContext http, IDocumentStore store, CancellationToken ct) =>
        {
            var a = await AssetStream.RegisterAsync(store, http.Actor(), c, ct);
            return Results.Created($"/api/v1/assets/{a.Tag}", a);
        }).RequireAuthorization(Policies.EditAssets);

        g.MapGet("/{tag}", async (string tag, DateTimeOffset? asOf, IDocumentStore store, CancellationToken ct) =>
            (await AssetStream.LoadAsync(store.QuerySession(), tag, asOf, ct)).Asset is { } a
                ? Results.Ok(a)
                : Identity.IdentityEndpoints.NotFound(asOf is null ? "asset" : $"asset as of {asOf:O}", tag))
            .RequireAuthorization(Policies.Read);

        g.MapGet("/{tag}/history", async (string tag, IDocumentStore store, CancellationToken ct) =>
            await AssetHistory.ReadAsync(store.QuerySession(), tag, ct) is { } h ? Results.Ok(h) : Identity.IdentityEndpoints.NotFound("asset", tag))
            .RequireAuthorization(Policies.Read);

        g.MapPut("/{tag}/details", async (string tag, AssetInput c, HttpContext http, IDocumentStore store, CancellationToken ct) =>
            Results.Ok(await AssetStream.CorrectDetailsAsync(store, http.Actor(), tag, c, ct))).RequireAuthorization(Policies.EditAssets);
        g.MapPost("/{tag}/move", (string tag, MoveAssetCommand c, HttpContext http, IDocumentStore store, CancellationToken ct) =>
            Change(http, store, tag, c, (a, w) => [MoveAsset.Decide(a, c, w)], ct)).RequireAuthorization(Policies.EditAssets);
        g.MapPost("/{tag}/status", (string tag, ChangeAssetStatusCommand c, HttpContext http, IDocumentStore store, CancellationToken ct) =>
            Change(http, store, tag, null, (a, _) => [ChangeAssetStatus.Decide(a, c)], ct)).RequireAuthorization(Policies.EditAssets);
        g.MapPost("/{tag}/warranty", (string tag, RecordWarrantyCommand c, HttpContext http, IDocumentStore store, CancellationToken ct) =>
            Change(http, store, tag, null, (a, _) => [RecordWarranty.Decide(a, c)], ct)).RequireAuthorization(Policies.EditAssets);
        g.MapPost("/{tag}/retire", (string tag, RetireAssetCommand c, HttpContext http, IDocumentStore store, CancellationToken ct) =>
            Change(http, store, tag, null, (a, _) => [RetireAsset.Decide(a, c)], ct)).RequireAuthorization(Policies.EditAssets);
        return api;
    }

    // Mutations share one shape: the whereabouts loaded are the move's target (none for the other changes).
    private static async Task<IResult> Change(HttpContext http, IDocumentStore store, string tag, MoveAssetCommand? target,
        Func<Asset, Whereabouts, IEnumerable<object?>> decide, CancellationToken ct) =>
        Results.Ok(await AssetStream.ChangeAsync(store, http.Actor(), tag, target?.Room, target?.Rack, decide, ct));
}

