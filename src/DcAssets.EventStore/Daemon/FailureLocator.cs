using Npgsql;

namespace DcAssets.EventStore.Daemon;

/// <summary>
/// Finds the first event of a page that makes a consumer throw, by bisecting on prefixes: each
/// attempt runs under a savepoint of one transaction that is rolled back at the end, so nothing
/// is written. Takes about log2(page size) applications instead of one per event.
/// </summary>
internal sealed class FailureLocator(EventStore store, IFeedConsumer consumer)
{
    public async Task<long?> FindAsync(IReadOnlyList<FeedEvent> events, CancellationToken ct)
    {
        await using var conn = await store.DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (!await FailsAsync(conn, tx, events, events.Count, ct)) return null;
        int lo = 1, hi = events.Count; // the shortest failing prefix has a length in [lo, hi]
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (await FailsAsync(conn, tx, events, mid, ct)) hi = mid;
            else lo = mid + 1;
        }
        return events[lo - 1].Position;
    }

    private async Task<bool> FailsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<FeedEvent> events, int length, CancellationToken ct)
    {
        await tx.SaveAsync("probe", ct);
        try
        {
            await consumer.ApplyAsync(events.Take(length).ToList(), conn, tx, null, ct);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return true;
        }
        finally
        {
            await tx.RollbackAsync("probe", ct);
        }
    }
}
