using DcAssets.Assets;
using DcAssets.Assets.Places;
using DcAssets.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Marten;

namespace DcAssets.Web.Assets.Pages;

/// <summary>
/// One asset, now or as of a moment, with its whole history and its QR label (the page a scan opens).
/// Engineers move it or change its status here with the same decisions as the API; a refusal is shown beside the form.
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class AssetPageModel(IDocumentStore store, IAuthorizationService authorization) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Tag { get; set; } = "";
    [BindProperty(SupportsGet = true)] public DateTime? AsOf { get; set; }
    [BindProperty] public MoveAssetCommand? Move { get; set; }
    [BindProperty] public ChangeAssetStatusCommand? Status { get; set; }
    public Asset? Asset { get; private set; }
    public IReadOnlyList<HistoryEntry> History { get; private set; } = [];
    public IReadOnlyList<Place> Rooms { get; private set; } = [];
    public IReadOnlyList<Place> Racks { get; private set; } = [];
    public bool CanEdit { get; private set; }
    public IReadOnlyDictionary<string, Refusal[]> Refusals { get; private set; } = new Dictionary<string, Refusal[]>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var s = store.QuerySession();
        DateTimeOffset? asOf = AsOf is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, t.Kind == DateTimeKind.Unspecified ? DateTimeKind.Local : t.Kind)) : null;
        Asset = (await AssetStream.LoadAsync(s, Tag, asOf, ct)).Asset;
        History = (await AssetHistory.ReadAsync(s, Tag, ct) ?? []).Where(h => asOf is null || h.At <= asOf).ToList();
        // The change forms are for the present only, and only for those who may change assets.
        CanEdit = asOf is null && Asset is { Status: not AssetStatus.Retired } &&
                  (await authorization.AuthorizeAsync(User, Policies.EditAssets)).Succeeded;
        if (CanEdit)
        {
            var places = await s.QueryAsync<Place>("order by upper(data->>'code')", ct);
            Rooms = places.Where(p => p.Kind == PlaceKind.Room).ToList();
            Racks = places.Where(p => p.Kind == PlaceKind.Rack).ToList();
        }
        if (Asset is null) Response.StatusCode = 404;
    }

    public Task<IActionResult> OnPostMoveAsync(CancellationToken ct) =>
        ChangeAsync(Move?.Room, Move?.Rack, (a, w) => [MoveAsset.Decide(a, Move ?? new(null, null, null), w)], ct);

    public Task<IActionResult> OnPostStatusAsync(CancellationToken ct) =>
        ChangeAsync(null, null, (a, _) => [ChangeAssetStatus.Decide(a, Status ?? new(null, null))], ct);

    private async Task<IActionResult> ChangeAsync(string? room, string? rack, Func<Asset, Whereabouts, IEnumerable<object?>> decide, CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.EditAssets)).Succeeded) return Forbid();
        try
        {
            await AssetStream.ChangeAsync(store, HttpContext.Actor(), Tag, room, rack, decide, ct);
            return Redirect($"/assets/{Uri.EscapeDataString(Tag)}");
        }
        catch (CommandRejected r)
        {
            AsOf = null;
            await OnGetAsync(ct);
            Refusals = r.Refusals;
            Response.StatusCode = r.Kind switch { RejectionKind.Conflict => 409, RejectionKind.NotFound => 404, _ => 400 };
            return Page();
        }
    }
}
