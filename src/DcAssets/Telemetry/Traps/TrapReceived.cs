namespace DcAssets.Telemetry.Traps;

public enum TrapKind { UpsOnBattery, UpsTestCompleted, UpsAlarmAdded, UpsAlarmRemoved, AcConditionAdded,
    AcConditionRemoved, Other }

/// <summary>One varbind of a trap, as text (numeric OID and the value's display form).</summary>
public sealed record TrapObject(string Oid, string Type, string Value);

/// <summary>A notification from the device (v1 traps in their RFC 3584 v2 form).</summary>
public sealed record TrapReceived(string AssetId, TrapKind Kind, string TrapOid, string Source, string Version,
    DateTimeOffset ReceivedAt, IReadOnlyList<TrapObject> Objects);
