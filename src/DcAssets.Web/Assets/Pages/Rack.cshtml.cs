using DcAssets.Assets.Racks;
using DcAssets.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Marten;

namespace DcAssets.Web.Assets.Pages;

/// <summary>A rack's front view (SVG, free U marked), now or as of a moment.</summary>
[Authorize(Policy = Policies.Read)]
public sealed class RackModel(IDocumentStore store, DcAssets.Web.Ui.SiteClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Code { get; set; } = "";
    [BindProperty(SupportsGet = true)] public DateTime? AsOf { get; set; }
    public RackElevation? Elevation { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        DateTimeOffset? asOf = clock.Read(AsOf); // the picker sends the site's wall clock without a zone
        Elevation = await RackElevation.LoadAsync(store.QuerySession(), Code, asOf, ct);
        if (Elevation is null) Response.StatusCode = 404;
    }
}
