using System.Collections.Immutable;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Profiles;
using DcAssets.Telemetry.Readings;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// What a poller remembers about a device between polls; rebuilt from the read models when a node takes the device
/// over.
/// </summary>
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

/// <summary>
/// Turns a poll outcome into events: the reading, a poll_failed on a change of failure, alarms raised and
/// cleared. Pure. Only the node holding the device's poll group decides, so alarm state has one writer.
/// </summary>
public static class PollDecision
{
    public static (DeviceState State, PollEvents Events) Decide(PollTarget t, DeviceState s, PollOutcome o,
        DateTimeOffset scheduledAt, string trigger)
    {
        var events = new List<object>();
        var state = s;
        object? reading = null;
        var poll = new PollRef(t.AssetId, scheduledAt, trigger, o.PolledAt);
        state = ClearRulesNoLongerApplied(t, state, poll, events);
        if (o.Succeeded)
        {
            reading = t.Profile.Kind == DeviceKind.Ups
                ? new UpsReadingRecorded(t.AssetId, t.Profile.Name, scheduledAt, o.PolledAt, o.LatencyMs, trigger,
                    o.Readings!, o.AgentAlarms, o.Skipped)
                : new AcReadingRecorded(t.AssetId, t.Profile.Name, scheduledAt, o.PolledAt, o.LatencyMs, trigger,
                    o.Readings!, o.AgentAlarms, o.Skipped);
            state = state with { ConsecutiveFailures = 0, LastFailure = null };
            var values = o.Readings!.ToDictionary(r => r.Name, r => r.Value);
            // The agent's own nominal wins (upsConfigInputVoltage); an agent without one gets the configured nominal.
            if (!(values.TryGetValue(DefaultRules.NominalInputVoltage, out var nominal) && nominal > 0))
                values[DefaultRules.NominalInputVoltage] = t.NominalInputVoltage;
            foreach (var rule in t.Rules)
            {
                var (rs, change) = AlarmDecisions.Evaluate(rule, state.Rule(rule.Id), values, o.PolledAt);
                state = Record(state, poll, rule.Id, rs, change, events);
            }
        }
        else
        {
            if (state.LastFailure != o.Failure)
                events.Add(new PollFailed(t.AssetId, scheduledAt, o.Failure!.Value, o.Detail ?? "", trigger));
            state = state with { ConsecutiveFailures = state.ConsecutiveFailures + 1, LastFailure = o.Failure };
        }
        if (t.Unreachable is { } unreachable)
        {
            var (us, uc) = AlarmDecisions.Unreachable(unreachable, state.Rule(unreachable.Id), o.Succeeded,
                state.ConsecutiveFailures);
            state = Record(state, poll, unreachable.Id, us, uc, events);
        }
        return (state, new PollEvents(reading, events));
    }

    /// <summary>
    /// A rule the device no longer has (switched off by an override, or gone with a profile change) will never clear
    /// its own alarm: the alarm ends here, whatever the poll gave.
    /// </summary>
    private static DeviceState ClearRulesNoLongerApplied(PollTarget t, DeviceState state, PollRef poll,
        List<object> events)
    {
        var applied = t.Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        if (t.Unreachable is { } unreachable) applied.Add(unreachable.Id);
        foreach (var rule in state.Rules.Keys.Where(r => !applied.Contains(r)).Order(StringComparer.Ordinal).ToList())
        {
            if (state.Rules[rule].AlarmId is { } id)
                events.Add(new AlarmCleared(id, poll.AssetId, rule, poll.At,
                    $"{rule}: no longer applied to this device", null, null, poll.ScheduledAt, poll.Trigger));
            state = state with { Rules = state.Rules.Remove(rule) };
        }
        return state;
    }

    /// <summary>Appends one poll's events: the reading to the device's day stream, the rest to its stream.</summary>
    public static void Append(Marten.IDocumentSession s, string assetId, DateTimeOffset scheduledAt, PollEvents events)
    {
        if (events.Reading is not null)
            s.Events.Append(TelemetryStreams.Readings(assetId, scheduledAt), events.Reading);
        if (events.DeviceEvents.Count > 0) s.Events.Append(TelemetryStreams.Device(assetId), [.. events.DeviceEvents]);
    }

    private sealed record PollRef(string AssetId, DateTimeOffset ScheduledAt, string Trigger, DateTimeOffset At);

    private static DeviceState Record(DeviceState state, PollRef poll, string rule, RuleState next, AlarmChange? change,
        List<object> events)
    {
        if (change is { Kind: AlarmChangeKind.Raise })
            events.Add(new AlarmRaised(next.AlarmId!, poll.AssetId, rule, change.Severity, change.Message, poll.At,
                change.Reading, change.Value, poll.ScheduledAt, poll.Trigger));
        else if (change is { Kind: AlarmChangeKind.Clear } && state.Rule(rule).AlarmId is { } id)
            events.Add(new AlarmCleared(id, poll.AssetId, rule, poll.At, change.Message, change.Reading, change.Value,
                poll.ScheduledAt, poll.Trigger));
        return state with { Rules = next == RuleState.Idle
            ? state.Rules.Remove(rule) : state.Rules.SetItem(rule, next) };
    }
}
