using Npgsql;

namespace DcAssets.EventStore.Daemon;

/// <summary>
/// Runs one consumer on this node while the node holds its lease. Each page is applied and the
/// position advanced in one transaction, with a compare-and-set on the position: a crash never
/// applies a page twice or loses one, and a runner that lost its lease cannot write.
/// A faulted consumer keeps its lease and idles until an operator resumes or rebuilds it.
/// </summary>
internal sealed class ProjectionRunner(EventStore store, IFeedConsumer consumer, DaemonOptions options, Wakeup wakeup)
{
    private readonly ProgressTable _progress = new(store.DataSource, store.Schema);

    public async Task RunAsync(CancellationToken ct)
    {
        await _progress.EnsureAsync(consumer.Name, ct);
        while (!ct.IsCancellationRequested)
        {
            var (position, state, rebuild) = await _progress.ReadAsync(consumer.Name, ct);
            if (state == ProgressTable.Faulted && !rebuild)
            {
                // Giving the lease back would only have a node take it and find the same fault.
                await Task.Delay(options.PollInterval < TimeSpan.FromSeconds(1) ? options.PollInterval : TimeSpan.FromSeconds(1), ct);
                continue;
            }
            if (!await RunFromAsync(position, ct)) return;
        }
    }

    /// <summary>Runs until the consumer faults (true) or another runner turns out to own it (false).</summary>
    private async Task<bool> RunFromAsync(long position, CancellationToken ct)
    {
        var feed = new EventFeed(store.DataSource, store.Schema);
        int failures = 0, transient = 0;
        var lastCheck = DateTime.UtcNow;
        var ahead = new ReadAhead(this, feed, wakeup, ct);

        while (!ct.IsCancellationRequested)
        {
            if (DateTime.UtcNow - lastCheck > TimeSpan.FromSeconds(1))
            {
                lastCheck = DateTime.UtcNow;
                var current = await _progress.ReadAsync(consumer.Name, ct);
                if (current.Position != position) return false; // someone else advanced it: we are not the owner
                if (current.RebuildRequested && consumer.Table is not null)
                {
                    await ahead.DiscardAsync();
                    try
                    {
                        position = await new ProjectionRebuild(store, consumer).RunAsync(null, ct);
                    }
                    catch (RebuildFencedException) { return false; }
                    catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OperationCanceledException)
                    {
                        if (Transience.IsTransient(ex)) { await Task.Delay(options.MaxBackoff, ct); continue; } // the request stands: try again
                        // Failing again and again would only churn; the operator fixes it and asks again.
                        await _progress.RecordRebuildFailureAsync(consumer.Name, ex.Message, (ex as UnknownEventTypeException)?.Position ?? (ex as EventDeserializationException)?.Position, ct);
                        options.Log?.Invoke($"rebuilding {consumer.Name} failed on {options.NodeId}: {ex.Message}");
                        return true;
                    }
                    feed = new EventFeed(store.DataSource, store.Schema);
                    ahead = new ReadAhead(this, feed, wakeup, ct);
                    continue;
                }
            }

            FeedPage? page = null;
            try
            {
                (page, var since) = await ahead.NextAsync(position);
                if (page.Position == position && page.Events.Count == 0)
                {
                    await wakeup.WaitAsync(since, feed.PendingGaps > 0 ? TimeSpan.FromMilliseconds(20) : options.PollInterval, ct);
                    page = new FeedPage([], position); // an idle tick: lets time-based consumers (the sealer) act
                }
                else if (IsFull(page))
                {
                    // A full page means more is waiting: parse the next one while this one is written.
                    ahead.Start(page.Position);
                }
                if (!await ApplyAsync(page, position, ct)) return false;
                position = page.Position;
                failures = transient = 0;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OperationCanceledException)
            {
                await ahead.DiscardAsync(); // never two reads on one feed at once; read again from the saved position
                if (Transience.IsTransient(ex))
                {
                    // The database was away, or chose this transaction as a deadlock or serialization victim:
                    // nothing is wrong with the consumer, so this never counts towards faulting it.
                    transient++;
                    options.Log?.Invoke($"{consumer.Name} on {options.NodeId}: retrying after a transient database error: {ex.Message}");
                    await Task.Delay(Backoff(transient), ct);
                    continue;
                }
                failures++;
                var faulted = failures >= options.MaxFailures;
                var at = await FailingPositionAsync(ex, page, position, ct);
                await _progress.RecordFailureAsync(consumer.Name, failures, faulted, ex.Message, at, CancellationToken.None);
                if (faulted)
                {
                    options.Log?.Invoke($"{consumer.Name} faulted on {options.NodeId} at position {at}: {ex.Message}");
                    return true;
                }
                await Task.Delay(Backoff(failures), ct);
            }
        }
        return true;
    }

    private TimeSpan Backoff(int attempt)
    {
        var backoff = options.FirstBackoff * Math.Pow(2, Math.Min(attempt - 1, 20));
        return backoff < options.MaxBackoff ? backoff : options.MaxBackoff;
    }

    private Task<FeedPage> ReadAsync(EventFeed feed, long from, CancellationToken ct) =>
        feed.ReadAsync(from, options.BatchSize, consumer.WantsData, consumer.WantsHashes, ct);

    private bool IsFull(FeedPage page) => page.Events.Count == options.BatchSize;

    private void ParseAhead(FeedPage page) => (consumer as IParsesAhead)?.ParseAhead(page.Events);

    /// <summary>
    /// During a catch-up three pages are in hand at once: one is written, the next parsed, and the one
    /// after that read. A read starts only when the previous read has ended (the feed reads in order).
    /// </summary>
    private sealed class ReadAhead(ProjectionRunner runner, EventFeed feed, Wakeup wakeup, CancellationToken ct)
    {
        private Task<FeedPage>? _parsed, _read;
        private long _parsedSince, _readSince;

        /// <summary>The next page, with the wake-up generation noted before it was read.</summary>
        public async Task<(FeedPage Page, long Since)> NextAsync(long position)
        {
            if (_parsed is { } parsed)
            {
                _parsed = null;
                return (await parsed, _parsedSince);
            }
            var since = wakeup.Generation;
            return (await runner.ReadAsync(feed, position, ct), since);
        }

        /// <summary>The page after <paramref name="position"/>, parsed in the background.</summary>
        public void Start(long position)
        {
            if (_read is { } read) (_parsed, _parsedSince) = (ParseAsync(read), _readSince);
            else
            {
                _parsedSince = wakeup.Generation;
                _parsed = ParseAsync(runner.ReadAsync(feed, position, ct));
            }
            _read = null;
        }

        private async Task<FeedPage> ParseAsync(Task<FeedPage> read)
        {
            var page = await read;
            if (runner.IsFull(page))
            {
                _readSince = wakeup.Generation;
                _read = runner.ReadAsync(feed, page.Position, ct);
            }
            runner.ParseAhead(page);
            return page;
        }

        public async Task DiscardAsync()
        {
            if (_parsed is not null) await Quietly(_parsed);
            if (_read is not null) await Quietly(_read);
            _parsed = _read = null;
        }
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

    /// <summary>
    /// The event that threw: named by the error itself when it knows (an unreadable or unknown event),
    /// else found by applying ever shorter prefixes of the page in a transaction that is rolled back.
    /// When the page applies cleanly on its own (the failure was elsewhere), the first pending position.
    /// </summary>
    private async Task<long?> FailingPositionAsync(Exception ex, FeedPage? page, long position, CancellationToken ct)
    {
        for (var e = ex; e is not null; e = e.InnerException)
            switch (e)
            {
                case UnknownEventTypeException { Position: { } p }: return p;
                case EventDeserializationException d: return d.Position;
            }
        try
        {
            if (page is { Events.Count: > 0 } && await new FailureLocator(store, consumer).FindAsync(page.Events, ct) is { } found) return found;
            await using var cmd = store.DataSource.CreateCommand($"select min(seq) from {store.Schema}.events where seq > $1");
            cmd.Parameters.Add(new NpgsqlParameter { Value = position });
            return await cmd.ExecuteScalarAsync(ct) as long?;
        }
        catch (Exception) when (!ct.IsCancellationRequested) { return null; }
    }
}
