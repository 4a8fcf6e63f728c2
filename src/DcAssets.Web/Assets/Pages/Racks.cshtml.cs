using DcAssets.Assets.Places;
using DcAssets.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Marten;

namespace DcAssets.Web.Assets.Pages;

[Authorize(Policy = Policies.Read)]
public sealed class RacksModel(IDocumentStore store) : PageModel
{
    public IReadOnlyList<Place> Racks { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Racks = await store.QuerySession().QueryAsync<Place>(
            "where data->>'kind' = 'rack' order by data->>'parent', upper(data->>'code')", ct);
}
