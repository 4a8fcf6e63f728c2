using JasperFx.Events;
using Marten.Events.Projections;

namespace DcAssets.Telemetry.Alarms;

public enum AlarmStage { Raised, Acknowledged, Cleared }

/// <summary>
/// One alarm from raise to clear, kept after it clears: how long a fault lasted and how soon it was seen.
/// </summary>
public sealed record AlarmRecord(string AlarmId, string AssetId, string Rule, FaultLevel Severity, string Message,
    DateTimeOffset RaisedAt, string? Reading, double? Value)
{
    public string? AcknowledgedBy { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public string? AcknowledgeComment { get; init; }
    public DateTimeOffset? ClearedAt { get; init; }
    public string? ClearMessage { get; init; }

    public AlarmStage Stage => ClearedAt is not null ? AlarmStage.Cleared
        : AcknowledgedAt is not null ? AlarmStage.Acknowledged : AlarmStage.Raised;

    /// <summary>Raise to clear, or to <paramref name="now"/> while still active.</summary>
    public TimeSpan Duration(DateTimeOffset now) => (ClearedAt ?? now) - RaisedAt;

    /// <summary>
    /// Whether it was restored within the contracts' time for its level; null while active and still within it.
    /// </summary>
    public bool? RestoredInTime(DateTimeOffset now) =>
        Duration(now) > FaultLevels.RestoreWithin(Severity) ? false : ClearedAt is null ? null : true;
}

/// <summary>
/// Every alarm ever raised, by alarm id: the evidence of how long faults lasted. Async (run by Marten's daemon,
/// like the other histories), so it fills from the alarms already recorded and can be rebuilt.
/// </summary>
public sealed class AlarmHistoryProjection : MultiStreamProjection<AlarmRecord, string>
{
    public AlarmHistoryProjection()
    {
        Name = TelemetrySlice.AlarmHistory;
        Identity<AlarmRaised>(e => e.AlarmId);
        Identity<AlarmAcknowledged>(e => e.AlarmId);
        Identity<AlarmCleared>(e => e.AlarmId);
    }

    public override AlarmRecord? Evolve(AlarmRecord? current, string id, IEvent e) => e.Data switch
    {
        AlarmRaised r =>
            new AlarmRecord(r.AlarmId, r.AssetId, r.Rule, r.Severity, r.Message, r.RaisedAt, r.Reading, r.Value),
        AlarmAcknowledged a when current is not null =>
            current with
            {
                AcknowledgedBy = a.ActorName, AcknowledgedAt = a.AcknowledgedAt, AcknowledgeComment = a.Comment,
            },
        AlarmCleared c when current is not null => current with { ClearedAt = c.ClearedAt, ClearMessage = c.Message },
        _ => current,
    };
}
