using DcAssets.Snmp;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Readings;
using Marten;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// Polls one device and appends what the poll decided in one transaction. The idempotency key is the
/// device, the scheduled poll time and the trigger, so a poll repeated by a node taking the device over
/// appends nothing (<see cref="PollSlotGuard"/> refuses its slot).
/// </summary>
public sealed class PollRecorder(IDocumentStore store, SnmpClient client, Actor actor)
{
    public static string IdempotencyKey(string assetId, DateTimeOffset scheduledAt,
        string trigger = PollTriggers.Schedule) =>
        $"{trigger}:{assetId}:{scheduledAt.UtcDateTime:yyyyMMddTHHmmss.fff}";

    /// <summary>
    /// The state after the poll; when another node had already recorded this poll, the state as the read models have
    /// it.
    /// </summary>
    public async Task<DeviceState> PollAsync(PollTarget target, DeviceState state, DateTimeOffset scheduledAt,
        string trigger, CancellationToken ct)
    {
        var outcome = await DevicePoll.RunAsync(client, target, ct).ConfigureAwait(false);
        return await RecordAsync(target, state, outcome, scheduledAt, trigger, ct).ConfigureAwait(false);
    }

    public Task<PollOutcome> QueryAsync(PollTarget target, CancellationToken ct) =>
        DevicePoll.RunAsync(client, target, ct);

    /// <summary>Decides and appends what one poll's outcome means, in a save of its own with its key.</summary>
    public async Task<DeviceState> RecordAsync(PollTarget target, DeviceState state, PollOutcome outcome,
        DateTimeOffset scheduledAt, string trigger, CancellationToken ct)
    {
        var (next, events) = PollDecision.Decide(target, state, outcome, scheduledAt, trigger);
        if (events.Reading is null && events.DeviceEvents.Count == 0) return next;
        await using var s = store.OpenSession(actor);
        s.SetHeader(EventHeaders.IdempotencyKey, IdempotencyKey(target.AssetId, scheduledAt, trigger));
        PollDecision.Append(s, target.AssetId, scheduledAt, events);
        try
        {
            await s.SaveChangesAsync(ct).ConfigureAwait(false);
            return next;
        }
        catch (Exception e) when (PollSlotGuard.IsSlotTaken(e))
        {
            // Recorded already, by another node or in a batch: nothing appended, and the history's state is the one.
            return await LoadStateAsync(target.AssetId, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A device's state rebuilt from the read models (when a node takes it over).</summary>
    public async Task<DeviceState> LoadStateAsync(string assetId, CancellationToken ct)
    {
        await using var q = store.QuerySession();
        var status = await q.LoadAsync<DeviceStatus>(assetId, ct).ConfigureAwait(false);
        var alarms = await q.Query<ActiveAlarm>().Where(a => a.AssetId == assetId).ToListAsync(ct)
            .ConfigureAwait(false);
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
