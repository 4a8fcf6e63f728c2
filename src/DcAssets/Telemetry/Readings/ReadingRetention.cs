using DcAssets.EventStore;

namespace DcAssets.Telemetry.Readings;

/// <summary>
/// Raw readings are kept readable for a window (default 90 days); older day streams are archived: hidden
/// from reads and closed to appends. Archiving does not shrink the database: the events stay, because the
/// hash chain and the seals must still verify (history must stay provable); the rollups keep the trend.
/// Storage grows with every poll (about one event per device per interval) for as long as the system runs.
/// </summary>
public static class ReadingRetention
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(90);

    public static async Task<int> ArchiveExpiredAsync(EventStore.EventStore store, TimeSpan window, CancellationToken ct = default)
    {
        var expired = new List<string>();
        await using (var cmd = store.DataSource.CreateCommand(
            $"select id from {store.Schema}.streams where id like 'readings-%' and not archived and updated_at < now() - make_interval(secs => @w) limit 5000"))
        {
            cmd.Parameters.AddWithValue("w", window.TotalSeconds);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) expired.Add(r.GetString(0));
        }
        // Poll slots only guard against a repeated poll during a hand-over; after two days none can come.
        await using (var prune = store.DataSource.CreateCommand(
            $"delete from {store.TableOf(new Polling.PollSlotGuard()).QualifiedName} where updated_at < now() - interval '2 days'"))
            await prune.ExecuteNonQueryAsync(ct);
        foreach (var chunk in expired.Chunk(500))
        {
            await using var s = store.OpenSession(Actor.System("reading retention"));
            foreach (var id in chunk) s.Events.ArchiveStream(id);
            await s.SaveChangesAsync(ct);
        }
        return expired.Count;
    }
}
