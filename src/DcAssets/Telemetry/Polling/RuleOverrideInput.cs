using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Profiles;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// One test of an overridden rule as an operator types it: op is above, below, equal, not_equal or outside.
/// </summary>
public sealed record ConditionInput(string? Reading, string? Op, double? Value, double? High = null,
    double? Hysteresis = null, string? RelativeTo = null);

/// <summary>
/// A per-asset change to one of the profile's rules (or device_unreachable), as typed: what is left out
/// keeps the profile's value. Severity is major, urgent or general.
/// </summary>
public sealed record RuleOverrideInput(string? Rule, bool? Enabled = null, string? Severity = null,
    IReadOnlyList<ConditionInput>? Conditions = null,
    double? RaiseAfterSeconds = null, double? ClearAfterSeconds = null, int? RaiseAfterPolls = null,
    int? ClearAfterPolls = null)
{
    private const double MaxSeconds = 86400;
    private const int MaxPolls = 1000;

    /// <summary>A stored override shown as it would be typed (so a GET can be edited and PUT back).</summary>
    public static RuleOverrideInput From(RuleOverride o) => new(o.Rule, o.Enabled, o.Severity is { } s ? Name(s) : null,
        o.Conditions?.Select(c =>
            new ConditionInput(c.Reading, Name(c.Op), c.Value, c.High, c.Hysteresis, c.RelativeTo)).ToList(),
        o.RaiseAfter?.TotalSeconds, o.ClearAfter?.TotalSeconds, o.RaiseAfterPolls, o.ClearAfterPolls);

    private static string Name<T>(T value) where T : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static bool TryName<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var v in Enum.GetValues<T>())
            if (string.Equals(Name(v), text?.Trim(), StringComparison.OrdinalIgnoreCase)) { value = v; return true; }
        value = default;
        return false;
    }

    /// <summary>
    /// The override checked against the profile; every problem is named by its field
    /// (ruleOverrides[i].conditions[j].op).
    /// </summary>
    public RuleOverride? Parse(string field, DeviceProfile profile, Problems p)
    {
        var rules = profile.Rules.Select(r => r.Id).Append(DefaultRules.Unreachable).Distinct().ToList();
        if (string.IsNullOrWhiteSpace(Rule) || !rules.Contains(Rule))
        {
            p.Add($"{field}.rule", $"'{Rule}' is not a rule of {profile.Name}; use one of {string.Join(", ", rules)}");
            return null;
        }
        FaultLevel? severity = null;
        if (Severity is not null)
        {
            if (TryName<FaultLevel>(Severity, out var s)) severity = s;
            else p.Add($"{field}.severity", $"'{Severity}' must be major, urgent or general");
        }
        List<AlarmCondition>? conditions = null;
        if (Conditions is not null)
        {
            if (Rule == DefaultRules.Unreachable)
                p.Add($"{field}.conditions",
                $"{DefaultRules.Unreachable} has no conditions; set raiseAfterPolls instead");
            else if (Conditions.Count == 0)
                p.Add($"{field}.conditions", "at least one condition, or leave conditions out to keep the profile's");
            else conditions = Conditions.Select((c, j) => Condition(c, $"{field}.conditions[{j}]", profile, p))
                .ToList()!;
        }
        var raiseAfter = Seconds(RaiseAfterSeconds, $"{field}.raiseAfterSeconds", p);
        var clearAfter = Seconds(ClearAfterSeconds, $"{field}.clearAfterSeconds", p);
        if (RaiseAfterPolls is < 1 or > MaxPolls) p.Add($"{field}.raiseAfterPolls", $"must be 1 to {MaxPolls}");
        if (ClearAfterPolls is < 1 or > MaxPolls) p.Add($"{field}.clearAfterPolls", $"must be 1 to {MaxPolls}");
        return new RuleOverride(Rule)
        {
            Enabled = Enabled ?? true, Severity = severity, Conditions = conditions, RaiseAfter = raiseAfter,
            ClearAfter = clearAfter,
            RaiseAfterPolls = RaiseAfterPolls, ClearAfterPolls = ClearAfterPolls,
        };
    }

    private static AlarmCondition? Condition(ConditionInput? c, string field, DeviceProfile profile, Problems p)
    {
        if (c is null) { p.Add(field, "a condition needs reading, op and value"); return null; }
        var known = profile.Readings.Select(r => r.Name).Append(DefaultRules.NominalInputVoltage).ToList();
        if (string.IsNullOrWhiteSpace(c.Reading)
            || !known.Any(new AlarmCondition(c.Reading, Comparison.Equal, 0).Matches))
            p.Add($"{field}.reading",
                $"'{c.Reading}' is not a reading of {profile.Name} (a trailing .* matches every line)");
        if (!TryName<Comparison>(c.Op, out var op))
            p.Add($"{field}.op", $"'{c.Op}' must be above, below, equal, not_equal or outside");
        if (c.Value is not { } value
            || !double.IsFinite(value)) { p.Add($"{field}.value", "a number is needed"); value = 0; }
        if (op == Comparison.Outside && (c.High is not { } high || !double.IsFinite(high) || high < value))
            p.Add($"{field}.high", "outside needs high, at least value");
        else if (op != Comparison.Outside && c.High is not null) p.Add($"{field}.high", "only outside takes high");
        if (c.Hysteresis is { } h && (!double.IsFinite(h) || h < 0)) p.Add($"{field}.hysteresis", "must be 0 or more");
        if (c.RelativeTo is not null && !known.Contains(c.RelativeTo))
            p.Add($"{field}.relativeTo",
                $"'{c.RelativeTo}' is not a reading of {profile.Name} or {DefaultRules.NominalInputVoltage}");
        return new AlarmCondition(c.Reading ?? "", op, value, c.High, c.Hysteresis ?? 0) { RelativeTo = c.RelativeTo };
    }

    private static TimeSpan? Seconds(double? s, string field, Problems p)
    {
        if (s is null) return null;
        if (!double.IsFinite(s.Value) || s < 0
            || s > MaxSeconds) { p.Add(field, $"must be 0 to {MaxSeconds:0} seconds"); return null; }
        return TimeSpan.FromSeconds(s.Value);
    }
}
