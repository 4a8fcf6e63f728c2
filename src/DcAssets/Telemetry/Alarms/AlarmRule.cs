namespace DcAssets.Telemetry.Alarms;

/// <summary>
/// The contracts' fault levels: major (UPS failure, room power loss: restore within 1 h), urgent (5 h), general (24 h).
/// </summary>
public enum FaultLevel { Major, Urgent, General }

public static class FaultLevels
{
    /// <summary>
    /// The contracts' restore time for a fault of this level (the evidence an alarm history answers to).
    /// </summary>
    public static TimeSpan RestoreWithin(FaultLevel level) => level switch
    {
        FaultLevel.Major => TimeSpan.FromHours(1),
        FaultLevel.Urgent => TimeSpan.FromHours(5),
        _ => TimeSpan.FromHours(24),
    };
}

public enum Comparison { Above, Below, Equal, NotEqual, Outside }

/// <summary>
/// One test on one reading (a trailing ".*" matches every line: output_load.* is output_load.1, .2, .3).
/// Hysteresis widens the test while the alarm is active, so a value hovering at the threshold does not flap.
/// With <see cref="RelativeTo"/> the thresholds are fractions of another reading (input voltage within
/// 0.9..1.1 of the nominal), since a nominal differs by country and unit.
/// </summary>
public sealed record AlarmCondition(string Reading, Comparison Op, double Value, double? High = null,
    double Hysteresis = 0)
{
    public string? RelativeTo { get; init; }

    /// <summary>
    /// The condition in absolute terms for one poll; null when the reading it is relative to is missing or not
    /// positive.
    /// </summary>
    public AlarmCondition? Resolve(IReadOnlyDictionary<string, double> readings)
    {
        if (RelativeTo is null) return this;
        if (!readings.TryGetValue(RelativeTo, out var n) || !(n > 0)) return null;
        return new AlarmCondition(Reading, Op, Value * n, High * n, Hysteresis * n);
    }

    public bool Matches(string readingName) =>
        Reading.EndsWith(".*", StringComparison.Ordinal)
            ? readingName.StartsWith(Reading[..^1], StringComparison.Ordinal)
            : readingName == Reading;

    /// <summary>True when the value breaches the threshold (used to raise).</summary>
    public bool Breached(double v) => Op switch
    {
        Comparison.Above => v > Value,
        Comparison.Below => v < Value,
        Comparison.Equal => v == Value,
        Comparison.NotEqual => v != Value,
        Comparison.Outside => v < Value || v > (High ?? double.MaxValue),
        _ => false,
    };

    /// <summary>True while the value is still inside the hysteresis band (an active alarm stays raised).</summary>
    public bool StillBreached(double v) => Op switch
    {
        Comparison.Above => v > Value - Hysteresis,
        Comparison.Below => v < Value + Hysteresis,
        Comparison.Outside => v < Value + Hysteresis || v > (High ?? double.MaxValue) - Hysteresis,
        _ => Breached(v),
    };

    public override string ToString() => (Op == Comparison.Outside
        ? $"{Reading} outside {Value:0.##}..{High:0.##}"
        : $"{Reading} {Op.ToString().ToLowerInvariant()} {Value:0.##}")
            + (RelativeTo is null ? "" : $" × {RelativeTo}");
}

/// <summary>
/// A threshold rule: raised when any condition is breached for <see cref="RaiseAfter"/> and
/// <see cref="RaiseAfterPolls"/> polls in a row, cleared when none is (within hysteresis) for
/// <see cref="ClearAfter"/> and <see cref="ClearAfterPolls"/> polls in a row. The poll counts are what
/// keeps a state rule (on battery) from flapping: it raises on the first poll and clears on the second normal one.
/// </summary>
public sealed record AlarmRule(string Id, FaultLevel Severity, IReadOnlyList<AlarmCondition> Conditions)
{
    public TimeSpan RaiseAfter { get; init; }
    public TimeSpan ClearAfter { get; init; }
    public int RaiseAfterPolls { get; init; } = 1;
    public int ClearAfterPolls { get; init; } = 1;
    public string? Description { get; init; }
}

/// <summary>A per-asset change to one of the profile's rules; unset fields keep the profile's value.</summary>
public sealed record RuleOverride(string Rule)
{
    public bool Enabled { get; init; } = true;
    public FaultLevel? Severity { get; init; }
    public IReadOnlyList<AlarmCondition>? Conditions { get; init; }
    public TimeSpan? RaiseAfter { get; init; }
    public TimeSpan? ClearAfter { get; init; }

    /// <summary>For device_unreachable: failed polls in a row before it is raised.</summary>
    public int? RaiseAfterPolls { get; init; }
    public int? ClearAfterPolls { get; init; }

    /// <summary>The profile's rules with the asset's overrides applied; disabled rules are dropped.</summary>
    public static IReadOnlyList<AlarmRule> Apply(IEnumerable<AlarmRule> rules, IReadOnlyList<RuleOverride>? overrides)
    {
        if (overrides is null || overrides.Count == 0) return rules.ToList();
        var byRule = overrides.ToDictionary(o => o.Rule, StringComparer.Ordinal);
        var result = new List<AlarmRule>();
        foreach (var r in rules)
        {
            if (!byRule.TryGetValue(r.Id, out var o)) { result.Add(r); continue; }
            if (!o.Enabled) continue;
            result.Add(r with
            {
                Severity = o.Severity ?? r.Severity, Conditions = o.Conditions ?? r.Conditions,
                RaiseAfter = o.RaiseAfter ?? r.RaiseAfter, ClearAfter = o.ClearAfter ?? r.ClearAfter,
                RaiseAfterPolls = o.RaiseAfterPolls ?? r.RaiseAfterPolls,
                ClearAfterPolls = o.ClearAfterPolls ?? r.ClearAfterPolls,
            });
        }
        return result;
    }
}
