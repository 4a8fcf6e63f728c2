using DcAssets.Web.Identity;
using DcAssets.Web.Ui;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DcAssets.Web.Telemetry.Pages;

/// <summary>
/// The alarm history of a range (days on the site's clock): how long each lasted, when it was acknowledged, and
/// whether it was restored within the contracts' time. The same read as GET /api/v1/telemetry/alarms?state=.
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class AlarmHistoryPageModel(IQuerySession q, SiteClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public string State { get; set; } = "all";
    public IReadOnlyList<AlarmHistoryItem> Alarms { get; private set; } = [];
    public FormErrors Errors { get; private set; } = FormErrors.None;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, clock.Zone).DateTime);
        From ??= today.AddDays(-30);
        To ??= today;
        var from = clock.Read(From.Value.ToDateTime(TimeOnly.MinValue));
        var to = clock.Read(To.Value.AddDays(1).ToDateTime(TimeOnly.MinValue));
        try { Alarms = (await AlarmHistory.ReadAsync(q, State, from, to, ct)).Reverse().ToList(); }
        catch (CommandRejected r)
        {
            Errors = FormErrors.From(r);
            Response.StatusCode = 400;
        }
    }
}
