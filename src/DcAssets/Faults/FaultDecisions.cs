namespace DcAssets.Faults;

public sealed record ReportFaultCommand(string? Level, string? Summary, string[]? Assets, string? AlarmId,
    FaultSource Source, DateTimeOffset? OccurredAt);

/// <summary>
/// The fault ticket's decisions, pure: state, command and the moment in; events or refusals naming the field out.
/// Deadlines come from the contract profile; a moment after the fact (a night fault logged in the morning) is
/// bounded: never in the future.
/// </summary>
public static class FaultDecisions
{
    public static FaultReported Report(ContractProfile contract, string faultId, ReportFaultCommand c,
        DateTimeOffset now, Func<string, bool> assetExists)
    {
        var p = new Problems();
        var level = contract.Level(c.Level);
        if (level is null) p.Add("level", UnknownLevel(contract, c.Level));
        if (string.IsNullOrWhiteSpace(c.Summary)) p.Add("summary", Refusal.Of("required", "required"));
        else if (c.Summary.Length > 500) p.Add("summary", Refusal.Of("too_long", "at most {0} characters", 500));
        foreach (var tag in c.Assets ?? [])
            if (!assetExists(tag)) p.Add("assets", Refusal.Of("no_asset", "no asset '{0}'", tag));
        var at = c.OccurredAt ?? now;
        if (at > now) p.Add("occurredAt", Refusal.Of("in_future", "cannot be in the future"));
        p.ThrowIfAny();
        return new FaultReported(faultId, level!.Id, c.Summary!.Trim(), c.Assets ?? [], c.AlarmId, c.Source, at,
            FaultDeadlines.For(contract, level, at));
    }

    /// <summary>A reclassification keeps the clock's start; its restore limit follows the new level.</summary>
    public static FaultClassified Classify(ContractProfile contract, FaultTicket t, string? to, string? reason)
    {
        var p = new Problems();
        var level = contract.Level(to);
        if (level is null) p.Add("level", UnknownLevel(contract, to));
        if (string.IsNullOrWhiteSpace(reason)) p.Add("reason", Refusal.Of("required", "required"));
        if (t.State == FaultState.Closed) p.Add("state", Closed(t));
        p.ThrowIfAny();
        return new FaultClassified(t.Id, t.Level, level!.Id, reason!.Trim(),
            FaultDeadlines.For(contract, level, t.OccurredAt));
    }

    public static FaultAcknowledged Acknowledge(FaultTicket t, DateTimeOffset at)
    {
        if (t.State != FaultState.Open)
            throw CommandRejected.Field("state", Refusal.Of("not_open", "fault {0} is {1}, not open", t.Id,
                Name(t.State)), RejectionKind.Conflict);
        return new FaultAcknowledged(t.Id, at, Math.Round((at - t.OccurredAt).TotalMinutes, 2));
    }

    public static FaultResolved Resolve(FaultTicket t, string? cause, string? action, DateTimeOffset at)
    {
        var p = new Problems();
        if (string.IsNullOrWhiteSpace(cause)) p.Add("cause", Refusal.Of("required", "required"));
        if (string.IsNullOrWhiteSpace(action)) p.Add("action", Refusal.Of("required", "required"));
        if (t.State is FaultState.Resolved or FaultState.Closed)
            p.Add("state", Refusal.Of("already_resolved", "fault {0} is {1} already", t.Id, Name(t.State)));
        p.ThrowIfAny(t.State is FaultState.Resolved or FaultState.Closed
            ? RejectionKind.Conflict : RejectionKind.Invalid);
        return new FaultResolved(t.Id, at, cause!.Trim(), action!.Trim(),
            Math.Round((at - t.OccurredAt).TotalMinutes, 2));
    }

    public static FaultClosed Close(FaultTicket t, string? note) =>
        t.State == FaultState.Resolved ? new FaultClosed(t.Id, note?.Trim())
            : throw CommandRejected.Field("state", Refusal.Of("not_resolved", "fault {0} is {1}: resolve it first",
                t.Id, Name(t.State)), RejectionKind.Conflict);

    public static FaultReopened Reopen(FaultTicket t, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw CommandRejected.Field("reason", Refusal.Of("required", "required"));
        return t.State is FaultState.Resolved or FaultState.Closed ? new FaultReopened(t.Id, reason.Trim())
            : throw CommandRejected.Field("state", Refusal.Of("not_resolved", "fault {0} is {1}: resolve it first",
                t.Id, Name(t.State)), RejectionKind.Conflict);
    }

    private static Refusal UnknownLevel(ContractProfile contract, string? level) =>
        Refusal.Of("unknown_level", "'{0}' is not a level of the contract ({1})", level,
            string.Join(", ", contract.Levels.Select(l => l.Id)));

    private static Refusal Closed(FaultTicket t) => Refusal.Of("closed", "fault {0} is closed", t.Id);

    private static string Name(FaultState s) => s.ToString().ToLowerInvariant();
}
