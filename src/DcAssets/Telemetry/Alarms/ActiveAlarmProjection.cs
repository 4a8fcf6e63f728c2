using System.Text.Json.Serialization;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace DcAssets.Telemetry.Alarms;

/// <summary>An alarm that is raised and not yet cleared; one per device and rule.</summary>
public sealed record ActiveAlarm(string AlarmId, string AssetId, string Rule, FaultLevel Severity, string Message,
    DateTimeOffset RaisedAt, string? Reading, double? Value)
{
    public string? AcknowledgedBy { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>
    /// The document id, <see cref="Key"/>: kept in the id column only, so the alarm the API serves is what it
    /// always was.
    /// </summary>
    [JsonIgnore] public string Id { get; init; } = "";

    public static string Key(string assetId, string rule) => $"{assetId}:{rule}";
}

/// <summary>
/// Inline: the dashboard and the poller's state after a hand-over read it in the same transaction as the alarm
/// events. Keyed by device and rule, so a second raise of a rule replaces the first rather than adding to it.
/// Written with explicit operations by key: the key is not in the stored JSON, and Marten deletes a document an
/// aggregation drops by the id the document carries.
/// </summary>
public sealed partial class ActiveAlarmProjection : EventProjection
{
    public ActiveAlarmProjection()
    {
        Name = TelemetrySlice.ActiveAlarms;
        IncludeType<AlarmRaised>();
        IncludeType<AlarmAcknowledged>();
        IncludeType<AlarmCleared>();
    }

    public override async ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken ct)
    {
        switch (e.Data)
        {
            case AlarmRaised r:
                operations.Store(new ActiveAlarm(r.AlarmId, r.AssetId, r.Rule, r.Severity, r.Message, r.RaisedAt,
                    r.Reading, r.Value) { Id = ActiveAlarm.Key(r.AssetId, r.Rule) });
                break;
            case AlarmAcknowledged a:
                var key = ActiveAlarm.Key(a.AssetId, a.Rule);
                if (await operations.LoadAsync<ActiveAlarm>(key, ct) is { } current && current.AlarmId == a.AlarmId)
                    operations.Store(current with
                        { Id = key, AcknowledgedBy = a.ActorName, AcknowledgedAt = a.AcknowledgedAt });
                break;
            case AlarmCleared c:
                // Only the alarm it names: a clear of an older alarm must not end a newer one of the same rule.
                var id = ActiveAlarm.Key(c.AssetId, c.Rule);
                operations.DeleteWhere<ActiveAlarm>(x => x.Id == id && x.AlarmId == c.AlarmId);
                break;
        }
    }
}
