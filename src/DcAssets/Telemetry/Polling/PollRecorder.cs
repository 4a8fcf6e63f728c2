using DcAssets.EventStore;
using DcAssets.Snmp;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Readings;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// Polls one device and appends what the poll decided in one transaction. The idempotency key is the
/// device and the scheduled poll time, so a poll repeated by a node taking the device over appends nothing.
/// </summary>
public sealed class PollRecorder(EventStore.EventStore store, SnmpClient client, Actor actor)
{
    public static string IdempotencyKey(string assetId, DateTimeOffset scheduledAt, string trigger = PollTriggers.Schedule) =>
        $"{trigger}:{assetId}:{scheduledAt.UtcDateTime:yyyyMMddTHHmmss.fff}";

    /// <summary>The state after the poll; when another node had already recorded this poll, the state as the read models have it.</summary>
    public async Task<DeviceState> PollAsync(PollTarget target, DeviceState state, DateTimeOffset scheduledAt, string trigger, CancellationToken ct)
    {
        var outcome = await DevicePoll.RunAsync(client, target, ct).ConfigureAwait(false);
        return await RecordAsync(target, state, outcome, scheduledAt, trigger, ct).ConfigureAwait(false);
    }

    public Task<PollOutcome> QueryAsync(PollTarget target, CancellationToken ct) => DevicePoll.RunAsync(client, target, ct);

    /// <summary>Decides and appends what one poll's outcome means.</summary>
    public async Task<DeviceState> RecordAsync(PollTarget target, DeviceState state, PollOutcome outcome, DateTimeOffset scheduledAt, string trigger, CancellationToken ct)
    {
        var (next, events) = PollDecision.Decide(target, state, outcome, scheduledAt, trigger);
        if (events.Reading is null && events.DeviceEvents.Count == 0) return next;
        await using var s = store.OpenSession(actor);
        s.IdempotencyKey = IdempotencyKey(target.AssetId, scheduledAt, trigger);
        if (events.Reading is not null) s.Events.Append(TelemetryStreams.Readings(target.AssetId, scheduledAt), events.Reading);
        if (events.DeviceEvents.Count > 0) s.Events.Append(TelemetryStreams.Device(target.AssetId), [.. events.DeviceEvents]);
        try
        {
            var saved = await s.SaveChangesAsync(ct).ConfigureAwait(false);
            return saved.WasDuplicate ? await LoadStateAsync(target.AssetId, ct).ConfigureAwait(false) : next;
        }
        catch (PollSlotTakenException)
        {
            // Recorded already, in a batch without this key: the same outcome as a repeated key.
            return await LoadStateAsync(target.AssetId, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A device's state rebuilt from the read models (when a node takes it over).</summary>
    public async Task<DeviceState> LoadStateAsync(string assetId, CancellationToken ct)
    {
        await using var q = store.QuerySession();
        var status = await q.LoadAsync<DeviceStatus>(assetId, ct).ConfigureAwait(false);
        var alarms = await q.Query<ActiveAlarm>().Where("data->>'assetId' = @a", ("a", assetId)).ToListAsync(ct).ConfigureAwait(false);
        var rules = alarms.ToDictionary(a => a.Rule, a => new RuleState { AlarmId = a.AlarmId });
        return new DeviceState
        {
            LastFailure = status?.LastFailure,
            // How many failures in a row is not in the read models; one is the cautious guess (an active
            // unreachable alarm needs no count, and an inactive one is raised a little late rather than early).
            ConsecutiveFailures = status is { Reachable: false } ? 1 : 0,
            Rules = System.Collections.Immutable.ImmutableDictionary.CreateRange(rules),
        };
    }
}
