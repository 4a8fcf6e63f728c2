using DcAssets.EventStore;
using DcAssets.EventStore.Projections;

namespace DcAssets.Telemetry.Alarms;

/// <summary>An alarm that is raised and not yet cleared; one per device and rule.</summary>
public sealed record ActiveAlarm(string AlarmId, string AssetId, string Rule, FaultLevel Severity, string Message, DateTimeOffset RaisedAt,
    string? Reading, double? Value)
{
    public string? AcknowledgedBy { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }

    public static string Key(string assetId, string rule) => $"{assetId}:{rule}";
}

public sealed class ActiveAlarmProjection : DocumentProjection<ActiveAlarm>
{
    public ActiveAlarmProjection() : base("telemetry_active_alarms")
    {
        Handles<AlarmRaised>();
        Handles<AlarmAcknowledged>();
        Handles<AlarmCleared>();
        Index("asset", "(data->>'assetId')");
    }

    protected override IEnumerable<string> DocumentIds(StoredEvent e) => e.Data switch
    {
        AlarmRaised r => [ActiveAlarm.Key(r.AssetId, r.Rule)],
        AlarmAcknowledged a => [ActiveAlarm.Key(a.AssetId, a.Rule)],
        AlarmCleared c => [ActiveAlarm.Key(c.AssetId, c.Rule)],
        _ => [],
    };

    protected override ActiveAlarm? Apply(ActiveAlarm? current, StoredEvent e) => e.Data switch
    {
        AlarmRaised r => new ActiveAlarm(r.AlarmId, r.AssetId, r.Rule, r.Severity, r.Message, r.RaisedAt, r.Reading, r.Value),
        AlarmAcknowledged a when current?.AlarmId == a.AlarmId => current with { AcknowledgedBy = a.ActorName, AcknowledgedAt = a.AcknowledgedAt },
        AlarmCleared c when current?.AlarmId == c.AlarmId => null,
        _ => current,
    };
}
