using DcAssets.EventStore;
using DcAssets.EventStore.Projections;
using DcAssets.Telemetry.Readings;
using Npgsql;
using NpgsqlTypes;

namespace DcAssets.Telemetry.Polling;

/// <summary>One row per decided poll: device, trigger and scheduled time (the same words as the idempotency key).</summary>
public sealed record PollSlot(string AssetId, DateTimeOffset ScheduledAt, string Trigger);

/// <summary>A poll that some node has already recorded; the whole save it was in is rolled back.</summary>
public sealed class PollSlotTakenException(int taken) : Exception($"{taken} poll(s) in this save were already recorded");

/// <summary>
/// Every poll decided once per device and scheduled time, also when many devices share one save: an
/// inline projection whose primary key refuses a second decision for the same slot, failing the
/// transaction. A decided poll is whatever it appended: a reading, a poll_failed, or alarms raised or
/// cleared (a failing device appends no reading, yet its unreachable alarm must not be raised twice).
/// Batched saves carry no idempotency key (one key per save cannot name 200 devices); this is what
/// keeps a hand-over from duplicating a poll then, and a single keyed save falls back on it too.
/// </summary>
public sealed class PollSlotGuard : IProjection
{
    public string Name => "telemetry_poll_slots";
    public Type DocumentType => typeof(PollSlot);
    public IReadOnlyList<DocumentIndex> Indexes => [];

    public bool Handles(Type t) => t == typeof(UpsReadingRecorded) || t == typeof(AcReadingRecorded) || t == typeof(PollFailed)
        || t == typeof(Alarms.AlarmRaised) || t == typeof(Alarms.AlarmCleared);

    /// <summary>The poll an event was decided by; null for events no poll decided (alarms from before slots were recorded).</summary>
    public static PollSlot? SlotOf(object e) => e switch
    {
        IReadingRecorded r => new PollSlot(r.AssetId, r.ScheduledAt, r.Trigger),
        PollFailed f => new PollSlot(f.AssetId, f.ScheduledAt, f.Trigger ?? PollTriggers.Schedule),
        Alarms.AlarmRaised { ScheduledAt: { } at } a => new PollSlot(a.AssetId, at, a.Trigger ?? PollTriggers.Schedule),
        Alarms.AlarmCleared { ScheduledAt: { } at } c => new PollSlot(c.AssetId, at, c.Trigger ?? PollTriggers.Schedule),
        _ => null,
    };

    public async Task ApplyAsync(IReadOnlyList<StoredEvent> events, ProjectionWrite w, CancellationToken ct)
    {
        // One poll's reading, poll_failed and alarms share a slot: a slot once per save.
        var slots = events.Select(e => SlotOf(e.Data)).OfType<PollSlot>().DistinctBy(s => PollRecorder.IdempotencyKey(s.AssetId, s.ScheduledAt, s.Trigger)).ToList();
        if (slots.Count == 0) return;
        await using var cmd = new NpgsqlCommand(
            $"""
            insert into {w.Table} (id, data, version, updated_at)
            select u.id, u.data, 0, now() from unnest(@ids, @data) as u(id, data)
            on conflict (id) do nothing
            """, w.Connection, w.Transaction);
        cmd.Parameters.AddWithValue("ids", slots.Select(s => PollRecorder.IdempotencyKey(s.AssetId, s.ScheduledAt, s.Trigger)).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
        {
            Value = slots.Select(s => System.Text.Json.JsonSerializer.Serialize(s, w.Json)).ToArray(),
        });
        var inserted = await cmd.ExecuteNonQueryAsync(ct);
        if (inserted < slots.Count) throw new PollSlotTakenException(slots.Count - inserted);
    }
}
