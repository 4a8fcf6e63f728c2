using DcAssets.Projections;
using DcAssets.Web.Identity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DcAssets.Web.Operations.Pages;

/// <summary>
/// The async projections: state, position and lag, refreshed every second by /ui/projections.js; admins ask for a
/// rebuild here (the node running the projection does it, with its progress shown against its target).
/// </summary>
[Authorize(Policy = Policies.Audit)]
public sealed class ProjectionsModel(IDocumentStore store, Npgsql.NpgsqlDataSource db,
    IAuthorizationService authorization, IStringLocalizer<DcAssets.Web.Ui.Text> T) : PageModel
{
    public IReadOnlyList<AsyncProjectionStatus> Projections { get; private set; } = [];
    public bool CanRebuild { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Projections = (await ProjectionBoard.StatusAsync(store, db, ct)).OrderBy(p => p.Name).ToList();
        CanRebuild = (await authorization.AuthorizeAsync(User, Policies.Operate)).Succeeded;
    }

    public async Task<IActionResult> OnPostRebuildAsync(string name, CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.Operate)).Succeeded) return Forbid();
        if (!ProjectionBoard.Names(store).Contains(name)) return NotFound();
        var requests = await ProjectionRequests.EnsureAsync(db, store.Options.DatabaseSchemaName, ct);
        await requests.RequestAsync(name, ProjectionWork.Rebuild, ct);
        TempData["Saved"] = T["Projections.RebuildAsked", name].Value;
        return Redirect("/admin/projections");
    }
}
