namespace DcAssets.Faults;

public enum FaultState { Open, Acknowledged, Resolved, Closed }

/// <summary>
/// A fault as its events leave it: level, state, the clock's moments and the deadlines they are held to.
/// </summary>
public sealed record FaultTicket
{
    public required string Id { get; init; }
    public required string Level { get; init; }
    public required string Summary { get; init; }
    public string[] Assets { get; init; } = [];
    public string? AlarmId { get; init; }
    public FaultState State { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public required FaultDeadlines Deadlines { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }

    public static string StreamId(string faultId) => "fault-" + faultId;
}

/// <summary>The fold of a fault's stream (kept off the record, so Marten does not take it for a projection).</summary>
public static class FaultFold
{
    public static FaultTicket? Next(FaultTicket? t, object e) => (t, e) switch
    {
        (null, FaultReported r) => new FaultTicket
        {
            Id = r.FaultId, Level = r.Level, Summary = r.Summary, Assets = r.Assets, AlarmId = r.AlarmId,
            State = FaultState.Open, OccurredAt = r.OccurredAt, Deadlines = r.Deadlines,
        },
        ({ } f, FaultClassified c) => f with { Level = c.To, Deadlines = c.Deadlines },
        ({ } f, FaultAcknowledged a) => f with { State = FaultState.Acknowledged, AcknowledgedAt = a.At },
        ({ } f, FaultResolved r) => f with { State = FaultState.Resolved, ResolvedAt = r.At },
        ({ } f, FaultClosed) => f with { State = FaultState.Closed },
        ({ } f, FaultReopened) => f with { State = FaultState.Acknowledged, ResolvedAt = null },
        _ => t,
    };
}
