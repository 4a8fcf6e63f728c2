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
/// One asset, now or as of a moment, with its whole history (newest first) and its QR label (the page a scan opens).
/// Engineers move it, change its status, correct its details, record its warranty or retire it here with the same
/// decisions as the API; a refusal is shown beside the form's fields.
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class AssetPageModel(IDocumentStore store, IMessageBus bus, IAuthorizationService authorization,
    DcAssets.Web.Ui.SiteClock clock, Microsoft.Extensions.Localization.IStringLocalizer<DcAssets.Web.Ui.Text> T)
    : PageModel
{
    [BindProperty(SupportsGet = true)] public string Tag { get; set; } = "";
    [BindProperty(SupportsGet = true)] public DateTime? AsOf { get; set; }
    [BindProperty] public MoveAssetCommand? Move { get; set; }
    [BindProperty] public ChangeAssetStatusCommand? Status { get; set; }
    [BindProperty] public AssetInput? Details { get; set; }
    [BindProperty] public RecordWarrantyCommand? Warranty { get; set; }
    [BindProperty] public RetireAssetCommand? Retire { get; set; }
    /// <summary>Whether a poller reads this asset (then its live page is linked).</summary>
    public bool Polled { get; private set; }
    public DcAssets.Web.Ui.RefusedForm Refused { get; private set; } = DcAssets.Web.Ui.RefusedForm.None;
    public string? Failed => Refused.Form;
    public DcAssets.Web.Ui.FormErrors ErrorsOf(string form) => Refused.Of(form);
    public Asset? Asset { get; private set; }
    public IReadOnlyList<HistoryEntry> History { get; private set; } = [];
    public IReadOnlyList<Place> Rooms { get; private set; } = [];
    public IReadOnlyList<Place> Racks { get; private set; } = [];
    public bool CanEdit { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var s = store.QuerySession();
        // The picker sends the site's wall clock without a zone.
        DateTimeOffset? asOf = clock.Read(AsOf);
        Asset = (await AssetStream.LoadAsync(s, Tag, asOf, ct)).Asset;
        History = (await AssetHistory.ReadAsync(s, Tag, ct) ?? []).Where(h => asOf is null || h.At <= asOf)
            .Reverse().ToList();
        Polled = Asset is not null
            && await s.LoadAsync<DcAssets.Telemetry.Polling.PolledDevice>(Asset.Tag, ct) is not null;
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
        ChangeAsync("move", (Move ?? new(null, null, null)) with { Tag = Tag }, ct);

    public Task<IActionResult> OnPostStatusAsync(CancellationToken ct) =>
        ChangeAsync("status", (Status ?? new(null, null)) with { Tag = Tag }, ct);

    public Task<IActionResult> OnPostWarrantyAsync(CancellationToken ct) =>
        ChangeAsync("warranty", (Warranty ?? new(null, null)) with { Tag = Tag }, ct);

    public Task<IActionResult> OnPostRetireAsync(CancellationToken ct) =>
        ChangeAsync("retire", (Retire ?? new(null)) with { Tag = Tag }, ct);

    /// <summary>The form corrects what it shows; the attributes it does not show are kept as they are.</summary>
    public async Task<IActionResult> OnPostDetailsAsync(CancellationToken ct)
    {
        await using var s = store.QuerySession();
        var current = (await AssetStream.LoadAsync(s, Tag, null, ct)).Asset;
        var input = (Details ?? new AssetInput()) with
        {
            Attributes = current?.Details.Attributes?.ToDictionary(x => x.Key, x => x.Value),
        };
        return await ChangeAsync("details", new CorrectAssetDetailsCommand(Tag, input), ct);
    }

    private async Task<IActionResult> ChangeAsync(string form, object command, CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.EditAssets)).Succeeded) return Forbid();
        try
        {
            var unreadable = DcAssets.Web.Ui.FormErrors.From(ModelState, form switch
            {
                "details" => "Details.", "warranty" => "Warranty.", "retire" => "Retire.", "move" => "Move.",
                _ => "Status.",
            });
            if (unreadable.Any) throw new CommandRejected(unreadable.Refusals);
            await bus.InvokeAsync<Asset>(HttpContext, command, ct);
            TempData["Saved"] = T["Asset.Saved", Tag].Value;
            return Redirect($"/assets/{Uri.EscapeDataString(Tag)}");
        }
        catch (CommandRejected r)
        {
            AsOf = null;
            await OnGetAsync(ct);
            Refused = new(form, DcAssets.Web.Ui.FormErrors.From(r));
            Response.StatusCode =
                r.Kind switch { RejectionKind.Conflict => 409, RejectionKind.NotFound => 404, _ => 400 };
            return Page();
        }
    }
}
