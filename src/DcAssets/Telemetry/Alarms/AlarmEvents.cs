namespace DcAssets.Telemetry.Alarms;

/// <summary>
/// An alarm is raised. ScheduledAt and Trigger name the poll that decided it (absent in events recorded
/// before they were added), so a poll repeated by another node cannot raise it twice.
/// </summary>
public sealed record AlarmRaised(string AlarmId, string AssetId, string Rule, FaultLevel Severity, string Message,
    DateTimeOffset RaisedAt, string? Reading = null, double? Value = null, DateTimeOffset? ScheduledAt = null,
    string? Trigger = null);

/// <summary>
/// An engineer has seen the alarm; the actor is in the event's metadata and repeated here for readers of the event
/// alone.
/// </summary>
public sealed record AlarmAcknowledged(string AlarmId, string AssetId, string Rule, string ActorId, string ActorName,
    DateTimeOffset AcknowledgedAt, string? Comment = null);

/// <summary>
/// The alarm is over; ScheduledAt and Trigger name the deciding poll as in <see cref="AlarmRaised"/>.
/// </summary>
public sealed record AlarmCleared(string AlarmId, string AssetId, string Rule, DateTimeOffset ClearedAt, string Message,
    string? Reading = null, double? Value = null,
    DateTimeOffset? ScheduledAt = null, string? Trigger = null);
