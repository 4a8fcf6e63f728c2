using DcAssets.Assets.Places;
using DcAssets.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DcAssets.Web.Assets.Pages;

[Authorize(Policy = Policies.Read)]
public sealed class RacksModel(EventStore.EventStore store) : PageModel
{
    public IReadOnlyList<Place> Racks { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Racks = await store.QuerySession().Query<Place>().Where("data->>'kind' = 'rack'").OrderBy("data->>'parent', upper(data->>'code')").ToListAsync(ct);
}
