namespace DcAssets.Telemetry.Alarms;

/// <summary>Where one rule stands on one device between polls.</summary>
public sealed record RuleState
{
    public static readonly RuleState Idle = new();

    /// <summary>Set while the alarm is raised: the id its events carry.</summary>
    public string? AlarmId { get; init; }
    public bool Active => AlarmId is not null;

    /// <summary>
    /// When the breach (inactive) or the recovery (active) was first seen; the minimum duration runs from here.
    /// </summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Polls in a row that showed the breach (inactive) or the recovery (active).</summary>
    public int Polls { get; init; }
}

public enum AlarmChangeKind { Raise, Clear }

/// <summary>A decision to raise or clear, with the reading that caused it.</summary>
public sealed record AlarmChange(AlarmChangeKind Kind, string Rule, FaultLevel Severity, string Message,
    string? Reading = null, double? Value = null);

/// <summary>The alarm decisions, as pure functions of state, rule, readings and time.</summary>
public static class AlarmDecisions
{
    /// <summary>
    /// Applies one rule to one poll's readings. A poll that has none of the rule's readings (an agent that
    /// skipped an object this time) says nothing about it: the rule stays where it was.
    /// </summary>
    public static (RuleState State, AlarmChange? Change) Evaluate(AlarmRule rule, RuleState state,
        IReadOnlyDictionary<string, double> readings, DateTimeOffset now)
    {
        var hits = new List<(AlarmCondition Condition, string Key, double Value)>();
        foreach (var c in rule.Conditions)
            if (c.Resolve(readings) is { } resolved)
                foreach (var r in readings)
                    if (resolved.Matches(r.Key)) hits.Add((resolved, r.Key, r.Value));
        if (hits.Count == 0) return (state, null);

        if (!state.Active)
        {
            var breach = hits.FirstOrDefault(h => h.Condition.Breached(h.Value));
            if (breach.Condition is null) return (RuleState.Idle, null);
            var since = state.Since ?? now;
            var polls = state.Polls + 1;
            if (now - since < rule.RaiseAfter || polls < rule.RaiseAfterPolls)
                return (state with { Since = since, Polls = polls }, null);
            var message = $"{rule.Description ?? rule.Id}: {breach.Key} = {breach.Value:0.##} ({breach.Condition})";
            return (new RuleState { AlarmId = NewAlarmId() },
                new AlarmChange(AlarmChangeKind.Raise, rule.Id, rule.Severity, message, breach.Key, breach.Value));
        }
        if (hits.Any(h => h.Condition.StillBreached(h.Value))) return (state with { Since = null, Polls = 0 }, null);
        var recovered = state.Since ?? now;
        var normal = state.Polls + 1;
        if (now - recovered < rule.ClearAfter || normal < rule.ClearAfterPolls)
            return (state with { Since = recovered, Polls = normal }, null);
        var last = hits[0];
        return (RuleState.Idle, new AlarmChange(AlarmChangeKind.Clear, rule.Id, rule.Severity,
            $"{rule.Description ?? rule.Id}: back to normal", last.Key, last.Value));
    }

    /// <summary>
    /// device_unreachable: raised after <see cref="AlarmRule.RaiseAfterPolls"/> failed polls in a row, cleared
    /// after <see cref="AlarmRule.ClearAfterPolls"/> answers in a row (one answer amid timeouts is not recovery).
    /// </summary>
    public static (RuleState State, AlarmChange? Change) Unreachable(AlarmRule rule, RuleState state, bool answered,
        int consecutiveFailures)
    {
        if (!state.Active)
            return !answered && consecutiveFailures >= rule.RaiseAfterPolls
                ? (new RuleState { AlarmId = NewAlarmId() },
                    new AlarmChange(AlarmChangeKind.Raise, rule.Id, rule.Severity,
                        $"device did not answer {consecutiveFailures} polls in a row"))
                : (state, null);
        if (!answered) return (state with { Polls = 0 }, null);
        var answers = state.Polls + 1;
        return answers < rule.ClearAfterPolls
            ? (state with { Polls = answers }, null)
            : (RuleState.Idle, new AlarmChange(AlarmChangeKind.Clear, rule.Id, rule.Severity, "device answers again"));
    }

    public static string NewAlarmId() => Guid.NewGuid().ToString("N");
}
