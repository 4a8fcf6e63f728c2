using DcAssets.Telemetry;
using DcAssets.Web.Identity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DcAssets.Web.Telemetry.Pages;

/// <summary>
/// One polled device: every latest reading, its alarms, and trend charts (wwwroot/telemetry/device.js with uPlot, from
/// the rollups).
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class DeviceModel(IQuerySession q, AssetLookup assets) : PageModel
{
    [BindProperty(SupportsGet = true)] public string AssetId { get; set; } = "";
    public DeviceView? Device { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Device = await DeviceBoard.OneAsync(q, assets, AssetId, ct);
        if (Device is null) Response.StatusCode = 404;
    }
}
