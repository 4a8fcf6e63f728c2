using Marten;

namespace DcAssets.Telemetry.Readings;

/// <summary>
/// Raw readings are kept readable for a window (default 90 days); older day streams are archived: hidden
/// from reads. Archiving does not shrink the database: the events stay, because the hash chain and the seals
/// must still verify (history must stay provable); the rollups keep the trend. Storage grows with every poll
/// (about one event per device per interval) for as long as the system runs.
/// </summary>
public static class ReadingRetention
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(90);

    /// <summary>Poll slots guard against a repeated poll in a hand-over only; after two days none can come.</summary>
    public static readonly TimeSpan SlotWindow = TimeSpan.FromDays(2);

    /// <summary>Archives day streams last appended to before <paramref name="now"/> − window (500 a save).</summary>
    public static async Task<int> ArchiveExpiredAsync(IDocumentStore store, TimeSpan window, DateTimeOffset now,
        CancellationToken ct = default)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        IReadOnlyList<string> expired;
        await using (var q = store.QuerySession())
        {
            expired = await q.AdvancedSql.QueryAsync<string>(
                $"select id from {schema}.mt_streams where id like 'readings-%' and not is_archived " +
                "and timestamp < ? order by id limit 5000", ct, now - window);
        }
        await using (var s = store.LightweightSession())
        {
            s.QueueSqlCommand(
                $"delete from {store.Options.DatabaseSchemaName}.mt_doc_{PollingSlots} where mt_last_modified < ?",
                now - SlotWindow);
            await s.SaveChangesAsync(ct);
        }
        foreach (var chunk in expired.Chunk(500))
        {
            await using var s = store.OpenSession(Actor.System("reading retention"));
            foreach (var id in chunk) s.Events.ArchiveStream(id);
            await s.SaveChangesAsync(ct);
        }
        return expired.Count;
    }

    private const string PollingSlots = Polling.PollSlotGuard.Alias;
}
