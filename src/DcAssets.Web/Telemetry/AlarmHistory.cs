using Marten;
using DcAssets.Telemetry.Alarms;

namespace DcAssets.Web.Telemetry;

/// <summary>
/// An alarm as the history lists it: its stage, how long it lasted, and whether it was restored within the contracts'
/// time.
/// </summary>
public sealed record AlarmHistoryItem(string AlarmId, string AssetId, string Rule, FaultLevel Severity, string Message,
    AlarmStage State,
    DateTimeOffset RaisedAt, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy, DateTimeOffset? ClearedAt,
    double DurationSeconds, double? AcknowledgedAfterSeconds, double RestoreTargetSeconds, bool? RestoredInTime);

/// <summary>
/// GET /api/v1/telemetry/alarms?state=all|active|raised|acknowledged|cleared&amp;from=&amp;to=: alarms raised in [from,
/// to).
/// </summary>
public static class AlarmHistory
{
    private static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(31), MaxSpan = TimeSpan.FromDays(400);

    public static async Task<IReadOnlyList<AlarmHistoryItem>> ReadAsync(IQuerySession q, string state,
        DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var p = new DcAssets.Problems();
        Func<AlarmRecord, bool>? keep = state.Trim().ToLowerInvariant() switch
        {
            "all" => _ => true,
            "active" => a => a.Stage != AlarmStage.Cleared,
            "raised" => a => a.Stage == AlarmStage.Raised,
            "acknowledged" => a => a.Stage == AlarmStage.Acknowledged,
            "cleared" => a => a.Stage == AlarmStage.Cleared,
            _ => null,
        };
        if (keep is null) p.Add("state", "all, active, raised, acknowledged or cleared");
        var now = DateTimeOffset.UtcNow;
        var end = (to ?? now).ToUniversalTime();
        var start = (from ?? end - DefaultSpan).ToUniversalTime();
        if (start >= end) p.Add("to", "must be after from");
        else if (end - start > MaxSpan) p.Add("to", $"a range spans at most {MaxSpan.TotalDays:0} days");
        p.ThrowIfAny();
        var records = await q.Query<AlarmRecord>().Where(a => a.RaisedAt >= start && a.RaisedAt < end)
            .OrderBy(a => a.RaisedAt).ToListAsync(ct);
        return records.Where(keep!)
            .Select(a => new AlarmHistoryItem(a.AlarmId, a.AssetId, a.Rule, a.Severity, a.Message, a.Stage,
            a.RaisedAt, a.AcknowledgedAt, a.AcknowledgedBy, a.ClearedAt, Math.Round(a.Duration(now).TotalSeconds, 3),
            a.AcknowledgedAt is { } ack ? Math.Round((ack - a.RaisedAt).TotalSeconds, 3) : null,
            FaultLevels.RestoreWithin(a.Severity).TotalSeconds, a.RestoredInTime(now))).ToList();
    }
}
