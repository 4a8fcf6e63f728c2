using DcAssets.Telemetry.Readings;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Npgsql;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// One row per decided poll: device, trigger and scheduled time (the same words as the idempotency key).
/// </summary>
public sealed record PollSlot(string Id, string AssetId, DateTimeOffset ScheduledAt, string Trigger);

/// <summary>
/// Every poll decided once per device and scheduled time, also when many devices share one save: an
/// inline projection whose primary key refuses a second decision for the same slot, failing the
/// transaction. A decided poll is whatever it appended: a reading, a poll_failed, or alarms raised or
/// cleared (a failing device appends no reading, yet its unreachable alarm must not be raised twice).
/// Batched saves carry no idempotency key (one key per save cannot name 200 devices); this is what
/// keeps a hand-over from duplicating a poll then, and a single keyed save relies on it too.
/// </summary>
public sealed class PollSlotGuard : IProjection
{
    /// <summary>The document alias: Marten's table is mt_doc_telemetry_poll_slots.</summary>
    public const string Alias = "telemetry_poll_slots";

    /// <summary>
    /// The poll an event was decided by; null for events no poll decided (alarms from before slots were recorded).
    /// </summary>
    public static PollSlot? SlotOf(object e) => e switch
    {
        IReadingRecorded r => Slot(r.AssetId, r.ScheduledAt, r.Trigger),
        PollFailed f => Slot(f.AssetId, f.ScheduledAt, f.Trigger ?? PollTriggers.Schedule),
        Alarms.AlarmRaised { ScheduledAt: { } at } a => Slot(a.AssetId, at, a.Trigger ?? PollTriggers.Schedule),
        Alarms.AlarmCleared { ScheduledAt: { } at } c => Slot(c.AssetId, at, c.Trigger ?? PollTriggers.Schedule),
        _ => null,
    };

    private static PollSlot Slot(string assetId, DateTimeOffset at, string trigger) =>
        new(PollRecorder.IdempotencyKey(assetId, at, trigger), assetId, at, trigger);

    /// <summary>
    /// Queues one INSERT of the save's slots (a poll's reading, poll_failed and alarms share one), without
    /// ON CONFLICT: a slot recorded before fails the save's transaction with a unique violation.
    /// </summary>
    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var slots = events.Select(e => SlotOf(e.Data)).OfType<PollSlot>().DistinctBy(s => s.Id).ToList();
        if (slots.Count == 0) return Task.CompletedTask;
        var options = operations.DocumentStore.Options;
        var json = options.Serializer();
        operations.QueueSqlCommand(
            $"insert into {options.DatabaseSchemaName}.mt_doc_{Alias} (id, data, mt_dotnet_type) " +
            "select u.id, u.data::jsonb, ? from unnest(?::text[], ?::text[]) as u(id, data)",
            typeof(PollSlot).FullName!, slots.Select(s => s.Id).ToArray(), slots.Select(json.ToJson).ToArray());
        return Task.CompletedTask;
    }

    /// <summary>Whether a save failed because one of its polls was recorded already (elsewhere or before).</summary>
    public static bool IsSlotTaken(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } p
                && (p.TableName == "mt_doc_" + Alias || p.ConstraintName?.Contains(Alias) == true)) return true;
        return false;
    }
}
