namespace DcAssets.Telemetry.Alarms;

/// <summary>Where one rule stands on one device between polls.</summary>
public sealed record RuleState
{
    public static readonly RuleState Idle = new();

    /// <summary>Set while the alarm is raised: the id its events carry.</summary>
    public string? AlarmId { get; init; }
    public bool Active => AlarmId is not null;

    /// <summary>When the breach (inactive) or the recovery (active) was first seen; the minimum duration runs from here.</summary>
    public DateTimeOffset? Since { get; init; }
}

public enum AlarmChangeKind { Raise, Clear }

/// <summary>A decision to raise or clear, with the reading that caused it.</summary>
public sealed record AlarmChange(AlarmChangeKind Kind, string Rule, FaultLevel Severity, string Message, string? Reading = null, double? Value = null);

/// <summary>The alarm decisions, as pure functions of state, rule, readings and time.</summary>
public static class AlarmDecisions
{
    /// <summary>Applies one rule to one poll's readings.</summary>
    public static (RuleState State, AlarmChange? Change) Evaluate(AlarmRule rule, RuleState state, IReadOnlyDictionary<string, double> readings, DateTimeOffset now)
    {
        var hits = readings.SelectMany(r => rule.Conditions.Where(c => c.Matches(r.Key)).Select(c => (Condition: c, r.Key, r.Value))).ToList();
        if (!state.Active)
        {
            var breach = hits.FirstOrDefault(h => h.Condition.Breached(h.Value));
            if (breach.Condition is null) return (RuleState.Idle, null);
            var since = state.Since ?? now;
            if (now - since < rule.RaiseAfter) return (state with { Since = since }, null);
            var message = $"{rule.Description ?? rule.Id}: {breach.Key} = {breach.Value:0.##} ({breach.Condition})";
            return (new RuleState { AlarmId = NewAlarmId() },
                new AlarmChange(AlarmChangeKind.Raise, rule.Id, rule.Severity, message, breach.Key, breach.Value));
        }
        if (hits.Any(h => h.Condition.StillBreached(h.Value))) return (state with { Since = null }, null);
        var recovered = state.Since ?? now;
        if (now - recovered < rule.ClearAfter) return (state with { Since = recovered }, null);
        var last = hits.FirstOrDefault();
        return (RuleState.Idle, new AlarmChange(AlarmChangeKind.Clear, rule.Id, rule.Severity,
            $"{rule.Description ?? rule.Id}: back to normal", last.Key, last.Condition is null ? null : last.Value));
    }

    /// <summary>Raised after <see cref="DefaultRules.UnreachableAfterPolls"/> failed polls in a row; cleared by the first answer.</summary>
    public static (RuleState State, AlarmChange? Change) Unreachable(RuleState state, int consecutiveFailures, FaultLevel severity)
    {
        if (!state.Active && consecutiveFailures >= DefaultRules.UnreachableAfterPolls)
            return (new RuleState { AlarmId = NewAlarmId() },
                new AlarmChange(AlarmChangeKind.Raise, DefaultRules.Unreachable, severity, $"device did not answer {consecutiveFailures} polls in a row"));
        if (state.Active && consecutiveFailures == 0)
            return (RuleState.Idle, new AlarmChange(AlarmChangeKind.Clear, DefaultRules.Unreachable, severity, "device answers again"));
        return (state, null);
    }

    public static string NewAlarmId() => Guid.NewGuid().ToString("N");
}
