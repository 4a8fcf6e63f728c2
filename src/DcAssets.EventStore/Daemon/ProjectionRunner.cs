using Npgsql;

namespace DcAssets.EventStore.Daemon;

/// <summary>
/// Runs one consumer on this node while the node holds its lease. Each page is applied and the
/// position advanced in one transaction, with a compare-and-set on the position: a crash never
/// applies a page twice or loses one, and a runner that lost its lease cannot write.
/// </summary>
internal sealed class ProjectionRunner(EventStore store, IFeedConsumer consumer, DaemonOptions options, Wakeup wakeup)
{
    private readonly ProgressTable _progress = new(store.DataSource, store.Schema);

    public async Task RunAsync(CancellationToken ct)
    {
        await _progress.EnsureAsync(consumer.Name, ct);
        var (position, state, _) = await _progress.ReadAsync(consumer.Name, ct);
        if (state == ProgressTable.Faulted) return;
        var feed = new EventFeed(store.DataSource, store.Schema);
        var failures = 0;
        var lastCheck = DateTime.UtcNow;
        Task<FeedPage>? prefetched = null;

        while (!ct.IsCancellationRequested)
        {
            if (DateTime.UtcNow - lastCheck > TimeSpan.FromSeconds(1))
            {
                lastCheck = DateTime.UtcNow;
                var current = await _progress.ReadAsync(consumer.Name, ct);
                if (current.Position != position) return; // someone else advanced it: we are not the owner
                if (current.RebuildRequested && consumer.Table is not null)
                {
                    if (prefetched is not null) await Quietly(prefetched);
                    prefetched = null;
                    position = await new ProjectionRebuild(store, consumer).RunAsync(null, ct);
                    feed = new EventFeed(store.DataSource, store.Schema);
                    continue;
                }
            }

            FeedPage page;
            try
            {
                page = prefetched is not null ? await prefetched : await feed.ReadAsync(position, options.BatchSize, consumer.WantsData, ct);
                prefetched = null;
                if (page.Position == position && page.Events.Count == 0)
                {
                    await wakeup.WaitAsync(feed.PendingGaps > 0 ? TimeSpan.FromMilliseconds(20) : options.PollInterval, ct);
                    page = new FeedPage([], position); // an idle tick: lets time-based consumers (the sealer) act
                }
                else if (page.Events.Count == options.BatchSize)
                {
                    // A full page means more is waiting: read (and parse) it while this one is written.
                    prefetched = ReadAheadAsync(feed, page.Position, ct);
                }
                if (!await ApplyAsync(page, position, ct)) return;
                position = page.Position;
                failures = 0;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OperationCanceledException)
            {
                if (prefetched is not null) await Quietly(prefetched); // never two reads on one feed at once
                prefetched = null; // read again from the saved position
                failures++;
                var faulted = failures >= options.MaxFailures;
                var at = await FirstPendingAsync(position, ct);
                await _progress.RecordFailureAsync(consumer.Name, failures, faulted, ex.Message, at, CancellationToken.None);
                if (faulted) return;
                var backoff = options.FirstBackoff * Math.Pow(2, failures - 1);
                await Task.Delay(backoff < options.MaxBackoff ? backoff : options.MaxBackoff, ct);
            }
        }
    }

    private async Task<FeedPage> ReadAheadAsync(EventFeed feed, long from, CancellationToken ct)
    {
        var next = await feed.ReadAsync(from, options.BatchSize, consumer.WantsData, ct);
        (consumer as IParsesAhead)?.ParseAhead(next.Events);
        return next;
    }

    private static async Task Quietly(Task t)
    {
        try { await t; }
        catch (Exception) { /* a discarded read-ahead */ }
    }

    private async Task<bool> ApplyAsync(FeedPage page, long from, CancellationToken ct)
    {
        await using var conn = await store.DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await consumer.ApplyAsync(page.Events, conn, tx, null, ct);
        if (!await ProgressTable.AdvanceAsync(conn, tx, store.Schema, consumer.Name, from, page.Position, options.NodeId, ct)) return false;
        await tx.CommitAsync(ct);
        return true;
    }

    private async Task<long?> FirstPendingAsync(long position, CancellationToken ct)
    {
        try
        {
            await using var cmd = store.DataSource.CreateCommand($"select min(seq) from {store.Schema}.events where seq > $1");
            cmd.Parameters.Add(new NpgsqlParameter { Value = position });
            return await cmd.ExecuteScalarAsync(ct) as long?;
        }
        catch (NpgsqlException) { return null; }
    }
}
