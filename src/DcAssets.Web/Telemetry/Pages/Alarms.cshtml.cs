using DcAssets.Telemetry.Alarms;
using DcAssets.Web.Identity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DcAssets.Web.Telemetry.Pages;

/// <summary>The active alarms, most severe first: where the badge on every page leads.</summary>
[Authorize(Policy = Policies.Read)]
public sealed class AlarmsModel(IQuerySession q) : PageModel
{
    public IReadOnlyList<ActiveAlarm> Alarms { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Alarms = AlarmSummary.InWorkOrder(await DeviceBoard.ActiveAlarmsAsync(q, null, ct)).ToList();
}
