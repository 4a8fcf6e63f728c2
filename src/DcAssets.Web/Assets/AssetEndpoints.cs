using DcAssets.Assets;
using DcAssets.Web.Identity;
using DcAssets.Web.Api;
using Marten;
using Wolverine;

namespace DcAssets.Web.Assets;

/// <summary>/api/v1/assets: list, register, read (as of any moment), and one endpoint per kind of change.</summary>
public static class AssetEndpoints
{
    public static IEndpointRouteBuilder MapAssetEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/assets").WithTags("Assets");
        g.MapInventoryPage("/");
        g.MapPost("/", async (AssetInput c, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var a = await bus.InvokeAsync<Asset>(http, new RegisterAssetCommand(c), ct);
            return Results.Created($"/api/v1/assets/{a.Tag}", a);
        }).RequireAuthorization(Policies.EditAssets);

        g.MapGet("/{tag}", async (string tag, DateTimeOffset? asOf, IDocumentStore store, CancellationToken ct) =>
            (await AssetStream.LoadAsync(store.QuerySession(), tag, asOf, ct)).Asset is { } a
                ? Results.Ok(a)
                : Identity.IdentityEndpoints.NotFound(asOf is null ? "asset" : $"asset as of {asOf:O}", tag))
            .RequireAuthorization(Policies.Read);

        g.MapGet("/{tag}/history", async (string tag, IDocumentStore store, CancellationToken ct) =>
            await AssetHistory.ReadAsync(store.QuerySession(), tag, ct) is { } h
                ? Results.Ok(h) : Identity.IdentityEndpoints.NotFound("asset", tag))
            .RequireAuthorization(Policies.Read);

        g.MapPut("/{tag}/details", (string tag, AssetInput c, HttpContext http, IMessageBus bus,
            CancellationToken ct) =>
            Change(http, bus, new CorrectAssetDetailsCommand(tag, c), ct)).RequireAuthorization(Policies.EditAssets);
        g.MapPost("/{tag}/move", (string tag, MoveAssetCommand c, HttpContext http, IMessageBus bus,
            CancellationToken ct) =>
            Change(http, bus, c with { Tag = tag }, ct)).RequireAuthorization(Policies.EditAssets);
        g.MapPost("/{tag}/status", (string tag, ChangeAssetStatusCommand c, HttpContext http, IMessageBus bus,
            CancellationToken ct) => Change(http, bus, c with { Tag = tag }, ct))
            .RequireAuthorization(Policies.EditAssets);
        g.MapPost("/{tag}/warranty", (string tag, RecordWarrantyCommand c, HttpContext http, IMessageBus bus,
            CancellationToken ct) => Change(http, bus, c with { Tag = tag }, ct))
            .RequireAuthorization(Policies.EditAssets);
        g.MapPost("/{tag}/retire", (string tag, RetireAssetCommand c, HttpContext http, IMessageBus bus,
            CancellationToken ct) => Change(http, bus, c with { Tag = tag }, ct))
            .RequireAuthorization(Policies.EditAssets);
        return api;
    }

    private static async Task<IResult> Change(HttpContext http, IMessageBus bus, object command,
        CancellationToken ct) =>
        Results.Ok(await bus.InvokeAsync<Asset>(http, command, ct));
}
