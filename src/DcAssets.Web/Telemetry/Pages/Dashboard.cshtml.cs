using DcAssets.Telemetry;
using DcAssets.Telemetry.Profiles;
using Marten;
using Wolverine;
using DcAssets.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DcAssets.Web.Telemetry.Pages;

/// <summary>
/// The machine-room dashboard: a tile per UPS and AC coloured by state, and the active alarms. It renders
/// complete on the server; wwwroot/telemetry/dashboard.js then refreshes it from the API every few seconds.
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class DashboardModel(IDocumentStore store, IMessageBus bus, IQuerySession q,
    ProfileCatalog profiles,
    IAuthorizationService authorization) : PageModel
{
    public IReadOnlyList<DeviceView> Devices { get; private set; } = [];
    public bool CanAcknowledge { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Devices = await DeviceBoard.AllAsync(q, ct);
        CanAcknowledge = (await authorization.AuthorizeAsync(User, Policies.EditAssets)).Succeeded;
    }

    public DeviceKind KindOf(DeviceView d) =>
        profiles.Contains(d.Profile) ? profiles.Get(d.Profile).Kind : d.Category == DcAssets.Assets.AssetCategory.Ups
            ? DeviceKind.Ups : DeviceKind.Ac;

    /// <summary>
    /// The acknowledge button's form (antiforgery-checked like every page form); the script posts the same form with
    /// fetch.
    /// </summary>
    public async Task<IActionResult> OnPostAcknowledgeAsync(string assetId, string rule, CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.EditAssets)).Succeeded) return Forbid();
        try { await TelemetryEndpoints.AcknowledgeAsync(bus, store, HttpContext.Actor(), assetId, rule, null, ct); }
        catch (CommandRejected) { } // cleared meanwhile: the refreshed list says so
        return Request.Headers.Accept.ToString().Contains("application/json")
            ? new NoContentResult() : Redirect("/telemetry");
    }
}
