using DcAssets.Telemetry.Alarms;

namespace DcAssets.Web.Telemetry;

/// <summary>
/// GET /api/v1/telemetry/alarms/summary: the active alarms counted by level, for the badge every page carries.
/// </summary>
public sealed record AlarmSummary(int Total, int Major, int Urgent, int General)
{
    public static AlarmSummary Of(IEnumerable<ActiveAlarm> alarms)
    {
        var list = alarms.ToList();
        int Count(FaultLevel l) => list.Count(a => a.Severity == l);
        return new(list.Count, Count(FaultLevel.Major), Count(FaultLevel.Urgent), Count(FaultLevel.General));
    }

    /// <summary>Most severe first, then oldest first: the order a duty engineer works them.</summary>
    public static IEnumerable<ActiveAlarm> InWorkOrder(IEnumerable<ActiveAlarm> alarms) =>
        alarms.OrderBy(a => a.Severity).ThenBy(a => a.RaisedAt);
}
