namespace DcAssets.Telemetry.Alarms;

public sealed record AlarmRaised(string AlarmId, string AssetId, string Rule, FaultLevel Severity, string Message,
    DateTimeOffset RaisedAt, string? Reading = null, double? Value = null);

/// <summary>An engineer has seen the alarm; the actor is in the event's metadata and repeated here for readers of the event alone.</summary>
public sealed record AlarmAcknowledged(string AlarmId, string AssetId, string Rule, string ActorId, string ActorName, DateTimeOffset AcknowledgedAt, string? Comment = null);

public sealed record AlarmCleared(string AlarmId, string AssetId, string Rule, DateTimeOffset ClearedAt, string Message, string? Reading = null, double? Value = null);
