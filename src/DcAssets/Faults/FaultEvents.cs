namespace DcAssets.Faults;

/// <summary>When a fault must be answered, first reported upward and restored, computed from the contract.</summary>
public sealed record FaultDeadlines(DateTimeOffset RespondBy, DateTimeOffset FirstReportBy, DateTimeOffset RestoreBy)
{
    public static FaultDeadlines For(ContractProfile contract, FaultLevelTerms level, DateTimeOffset occurredAt) =>
        new(occurredAt + contract.RespondWithin, occurredAt + contract.FirstReportWithin,
            occurredAt + level.RestoreWithin);
}

/// <summary>How a fault came to be known: an engineer saw it, someone phoned, or an alarm opened it.</summary>
public enum FaultSource { Engineer, Phone, Alarm }

/// <summary>
/// A fault became known. Its clock starts at <paramref name="OccurredAt"/> (for an alarm, its first abnormal reading),
/// which may be earlier than the recording time.
/// </summary>
public sealed record FaultReported(string FaultId, string Level, string Summary, string[] Assets, string? AlarmId,
    FaultSource Source, DateTimeOffset OccurredAt, FaultDeadlines Deadlines);

public sealed record FaultClassified(string FaultId, string From, string To, string Reason, FaultDeadlines Deadlines);

public sealed record FaultAcknowledged(string FaultId, DateTimeOffset At, double ResponseMinutes);

public sealed record FaultResolved(string FaultId, DateTimeOffset At, string Cause, string Action,
    double RestoreMinutes);

public sealed record FaultClosed(string FaultId, string? Note);

public sealed record FaultReopened(string FaultId, string Reason);
