using System.Collections.Immutable;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Profiles;
using DcAssets.Telemetry.Readings;

namespace DcAssets.Telemetry.Polling;

/// <summary>What a poller remembers about a device between polls; rebuilt from the read models when a node takes the device over.</summary>
public sealed record DeviceState
{
    public static readonly DeviceState Initial = new();

    public int ConsecutiveFailures { get; init; }
    public PollFailure? LastFailure { get; init; }
    public ImmutableDictionary<string, RuleState> Rules { get; init; } = ImmutableDictionary<string, RuleState>.Empty;

    public RuleState Rule(string id) => Rules.GetValueOrDefault(id, RuleState.Idle);
}

/// <summary>The events one poll produces.</summary>
public sealed record PollEvents(object? Reading, IReadOnlyList<object> DeviceEvents);

/// <summary>Turns a poll outcome into events: the reading, a poll_failed on a change of failure, alarms raised and cleared. Pure.</summary>
public static class PollDecision
{
    public static (DeviceState State, PollEvents Events) Decide(PollTarget t, DeviceState s, PollOutcome o, DateTimeOffset scheduledAt, string trigger, bool decideAlarms = true)
    {
        var events = new List<object>();
        var state = s;
        object? reading = null;
        if (o.Succeeded)
        {
            reading = t.Profile.Kind == DeviceKind.Ups
                ? new UpsReadingRecorded(t.AssetId, t.Profile.Name, scheduledAt, o.PolledAt, o.LatencyMs, trigger, o.Readings!, o.AgentAlarms)
                : new AcReadingRecorded(t.AssetId, t.Profile.Name, scheduledAt, o.PolledAt, o.LatencyMs, trigger, o.Readings!, o.AgentAlarms);
            state = state with { ConsecutiveFailures = 0, LastFailure = null };
            if (decideAlarms)
            {
                var values = o.Readings!.ToDictionary(r => r.Name, r => r.Value);
                foreach (var rule in t.Rules)
                {
                    var (rs, change) = AlarmDecisions.Evaluate(rule, state.Rule(rule.Id), values, o.PolledAt);
                    state = Record(state, t.AssetId, rule.Id, rs, change, o.PolledAt, events);
                }
            }
        }
        else
        {
            if (state.LastFailure != o.Failure) events.Add(new PollFailed(t.AssetId, scheduledAt, o.Failure!.Value, o.Detail ?? ""));
            state = state with { ConsecutiveFailures = state.ConsecutiveFailures + 1, LastFailure = o.Failure };
        }
        if (decideAlarms)
        {
            var (us, uc) = AlarmDecisions.Unreachable(state.Rule(DefaultRules.Unreachable), state.ConsecutiveFailures, DefaultRules.UnreachableSeverity(t.Profile.Kind));
            state = Record(state, t.AssetId, DefaultRules.Unreachable, us, uc, o.PolledAt, events);
        }
        return (state, new PollEvents(reading, events));
    }

    private static DeviceState Record(DeviceState state, string assetId, string rule, RuleState next, AlarmChange? change, DateTimeOffset at, List<object> events)
    {
        if (change is { Kind: AlarmChangeKind.Raise })
            events.Add(new AlarmRaised(next.AlarmId!, assetId, rule, change.Severity, change.Message, at, change.Reading, change.Value));
        else if (change is { Kind: AlarmChangeKind.Clear } && state.Rule(rule).AlarmId is { } id)
            events.Add(new AlarmCleared(id, assetId, rule, at, change.Message, change.Reading, change.Value));
        return state with { Rules = next == RuleState.Idle ? state.Rules.Remove(rule) : state.Rules.SetItem(rule, next) };
    }
}
