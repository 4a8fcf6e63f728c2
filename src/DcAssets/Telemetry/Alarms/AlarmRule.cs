namespace DcAssets.Telemetry.Alarms;

/// <summary>The contracts' fault levels: major (UPS failure, room power loss: restore within 1 h), urgent (5 h), general (24 h).</summary>
public enum FaultLevel { Major, Urgent, General }

public enum Comparison { Above, Below, Equal, NotEqual, Outside }

/// <summary>
/// One test on one reading (a trailing ".*" matches every line: output_load.* is output_load.1, .2, .3).
/// Hysteresis widens the test while the alarm is active, so a value hovering at the threshold does not flap.
/// </summary>
public sealed record AlarmCondition(string Reading, Comparison Op, double Value, double? High = null, double Hysteresis = 0)
{
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

    public override string ToString() => Op == Comparison.Outside
        ? $"{Reading} outside {Value}..{High}"
        : $"{Reading} {Op.ToString().ToLowerInvariant()} {Value}";
}

/// <summary>
/// A threshold rule: raised when any condition is breached for <see cref="RaiseAfter"/>, cleared when
/// none is (within hysteresis) for <see cref="ClearAfter"/>.
/// </summary>
public sealed record AlarmRule(string Id, FaultLevel Severity, IReadOnlyList<AlarmCondition> Conditions)
{
    public TimeSpan RaiseAfter { get; init; }
    public TimeSpan ClearAfter { get; init; }
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
            });
        }
        return result;
    }
}
