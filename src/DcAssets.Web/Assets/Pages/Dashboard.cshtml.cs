using DcAssets.Assets.Inventory;
using DcAssets.Telemetry.Alarms;
using DcAssets.Web.Identity;
using DcAssets.Web.Telemetry;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Marten;

namespace DcAssets.Web.Assets.Pages;

/// <summary>
/// The overview: active alarms first (most severe first, those past the contracts' restore time marked overdue),
/// then the register's counts.
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class DashboardModel(IDocumentStore store) : PageModel
{
    public Dashboard Counts { get; private set; } = null!;
    public IReadOnlyList<ActiveAlarm> Alarms { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await using var q = store.QuerySession();
        Counts = await InventoryQueries.CountsAsync(q, ct);
        Alarms = AlarmSummary.InWorkOrder(await DeviceBoard.ActiveAlarmsAsync(q, null, ct)).ToList();
    }

    /// <summary>Open longer than its level's restore time in the contracts.</summary>
    public static bool Overdue(ActiveAlarm a, DateTimeOffset now) =>
        now - a.RaisedAt > FaultLevels.RestoreWithin(a.Severity);
}
