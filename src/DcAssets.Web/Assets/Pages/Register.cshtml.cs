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
public sealed class RegisterModel(IDocumentStore store, IMessageBus bus) : PageModel
{
    [BindProperty] public AssetInput Input { get; set; } = new() { Category = "server", Status = "in_service" };
    public IReadOnlyDictionary<string, Refusal[]> Refusals { get; private set; } = new Dictionary<string, Refusal[]>();
    public IReadOnlyList<Place> Rooms { get; private set; } = [];
    public IReadOnlyList<Place> Racks { get; private set; } = [];

    public Task OnGetAsync(CancellationToken ct) => LoadPlaces(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        try
        {
            var a = await bus.InvokeAsync<Asset>(HttpContext, new RegisterAssetCommand(Input), ct);
            return Redirect($"/assets/{Uri.EscapeDataString(a.Tag)}");
        }
        catch (CommandRejected r)
        {
            Refusals = r.Refusals;
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
