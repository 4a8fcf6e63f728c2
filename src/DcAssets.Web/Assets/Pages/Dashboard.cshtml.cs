using DcAssets.Assets.Inventory;
using DcAssets.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Marten;

namespace DcAssets.Web.Assets.Pages;

[Authorize(Policy = Policies.Read)]
public sealed class DashboardModel(IDocumentStore store) : PageModel
{
    public Dashboard Counts { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) =>
        Counts = await InventoryQueries.CountsAsync(store.QuerySession(), ct);
}
