using DcAssets.EventStore;
using DcAssets.EventStore.Projections;
using DcAssets.Telemetry.Readings;
using Npgsql;
using NpgsqlTypes;

namespace DcAssets.Telemetry.Polling;

/// <summary>One row per recorded poll: device, trigger and scheduled time (the same words as the idempotency key).</summary>
public sealed record PollSlot(string AssetId, DateTimeOffset ScheduledAt, string Trigger);

/// <summary>A poll that some node has already recorded; the whole save it was in is rolled back.</summary>
public sealed class PollSlotTakenException(int taken) : Exception($"{taken} poll(s) in this save were already recorded");

/// <summary>
/// Exactly one reading per device and scheduled time, also when many devices share one save: an inline
/// projection whose primary key refuses a second reading for the same slot, failing the transaction.
/// Batched saves carry no idempotency key (one key per save cannot name 200 devices); this is what
/// keeps a hand-over from duplicating a reading then, and a single keyed save falls back on it too.
/// </summary>
public sealed class PollSlotGuard : IProjection
{
    public string Name => "telemetry_poll_slots";
    public Type DocumentType => typeof(PollSlot);
    public IReadOnlyList<DocumentIndex> Indexes => [];

    public bool Handles(Type t) => t == typeof(UpsReadingRecorded) || t == typeof(AcReadingRecorded);

    public async Task ApplyAsync(IReadOnlyList<StoredEvent> events, ProjectionWrite w, CancellationToken ct)
    {
        var slots = events.Select(e => e.Data).OfType<IReadingRecorded>().ToList();
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
            Value = slots.Select(s => System.Text.Json.JsonSerializer.Serialize(new PollSlot(s.AssetId, s.ScheduledAt, s.Trigger), w.Json)).ToArray(),
        });
        var inserted = await cmd.ExecuteNonQueryAsync(ct);
        if (inserted < slots.Count) throw new PollSlotTakenException(slots.Count - inserted);
    }
}
