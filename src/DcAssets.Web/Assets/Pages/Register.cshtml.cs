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
/// The register form: the same decision as POST /api/v1/assets; refusals are shown beside the form, nothing is written.
/// </summary>
[Authorize(Policy = Policies.EditAssets)]
public sealed class RegisterModel(IDocumentStore store, IMessageBus bus,
    Microsoft.Extensions.Localization.IStringLocalizer<DcAssets.Web.Ui.Text> T) : PageModel
{
    [BindProperty] public AssetInput Input { get; set; } = new() { Category = "server", Status = "in_service" };
    public DcAssets.Web.Ui.FormErrors Errors { get; private set; } = DcAssets.Web.Ui.FormErrors.None;
    public IReadOnlyList<Place> Rooms { get; private set; } = [];
    public IReadOnlyList<Place> Racks { get; private set; } = [];

    public Task OnGetAsync(CancellationToken ct) => LoadPlaces(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // What the form could not even read (a position that is not a number) is said beside its field too.
        var unreadable = DcAssets.Web.Ui.FormErrors.From(ModelState);
        try
        {
            if (unreadable.Any) throw new CommandRejected(unreadable.Refusals);
            var a = await bus.InvokeAsync<Asset>(HttpContext, new RegisterAssetCommand(Input), ct);
            TempData["Saved"] = T["Register.Saved", a.Tag].Value;
            return Redirect($"/assets/{Uri.EscapeDataString(a.Tag)}");
        }
        catch (CommandRejected r)
        {
            Errors = DcAssets.Web.Ui.FormErrors.From(r);
            Response.StatusCode = r.Kind == RejectionKind.Conflict ? 409 : 400;
            await LoadPlaces(ct);
            return Page();
        }
    }

    private async Task LoadPlaces(CancellationToken ct)
    {
        var all = await store.QuerySession().QueryAsync<Place>("order by upper(data->>'code')", ct);
        Rooms = all.Where(p => p.Kind == PlaceKind.Room).ToList();
        Racks = all.Where(p => p.Kind == PlaceKind.Rack).ToList();
    }
}
