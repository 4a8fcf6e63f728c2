using DcAssets.Assets;
using DcAssets.Assets.Places;
using DcAssets.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using DcAssets.Web.Api;
using Marten;
using Wolverine;

namespace DcAssets.Web.Assets.Pages;

/// <summary>
/// One asset, now or as of a moment, with its whole history and its QR label (the page a scan opens).
/// Engineers move it or change its status here with the same decisions as the API; a refusal is shown beside the form.
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class AssetPageModel(IDocumentStore store, IMessageBus bus, IAuthorizationService authorization,
    DcAssets.Web.Ui.SiteClock clock)
    : PageModel
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
        // The picker sends the site's wall clock without a zone.
        DateTimeOffset? asOf = clock.Read(AsOf);
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
        ChangeAsync((Move ?? new(null, null, null)) with { Tag = Tag }, ct);

    public Task<IActionResult> OnPostStatusAsync(CancellationToken ct) =>
        ChangeAsync((Status ?? new(null, null)) with { Tag = Tag }, ct);

    private async Task<IActionResult> ChangeAsync(object command, CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.EditAssets)).Succeeded) return Forbid();
        try
        {
            await bus.InvokeAsync<Asset>(HttpContext, command, ct);
            return Redirect($"/assets/{Uri.EscapeDataString(Tag)}");
        }
        catch (CommandRejected r)
        {
            AsOf = null;
            await OnGetAsync(ct);
            Refusals = r.Refusals;
            Response.StatusCode =
                r.Kind switch { RejectionKind.Conflict => 409, RejectionKind.NotFound => 404, _ => 400 };
            return Page();
        }
    }
}
