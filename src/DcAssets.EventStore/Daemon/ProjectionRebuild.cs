using Npgsql;

namespace DcAssets.EventStore.Daemon;

/// <summary>
/// Replays a projection from position zero into a shadow table while the system keeps appending,
/// then swaps it in under one transaction: readers see the old model until the new one is whole.
/// The caller must hold the projection's lease (the daemon's runner, or the CLI when no node runs it).
/// The swap is fenced: it happens only if the live position is still where it was when the rebuild
/// began, so a rebuild whose caller lost the lease to another runner cannot overwrite that runner's work.
/// </summary>
public sealed class ProjectionRebuild(EventStore store, IFeedConsumer consumer)
{
    public async Task<long> RunAsync(IProgress<(long Position, long Target)>? progress, CancellationToken ct)
    {
        var table = consumer.Table ?? throw new InvalidOperationException($"'{consumer.Name}' keeps no documents and cannot be rebuilt");
        var progressTable = new ProgressTable(store.DataSource, store.Schema);
        await progressTable.EnsureAsync(consumer.Name, ct);
        var (livePosition, _, _) = await progressTable.ReadAsync(consumer.Name, ct);
        var live = table.QualifiedName;
        var bare = live[(live.IndexOf('.') + 1)..];
        await DropShadowsAsync(bare, ct); // left by rebuilds that died
        // Unique per run, so a stale rebuild still running somewhere never writes into this one's table.
        var shadowBare = $"{bare}_rb_{Guid.NewGuid().ToString("N")[..8]}";
        var shadow = $"{store.Schema}.{shadowBare}";
        await ExecAsync(table.CreateSql(shadow), ct);

        try
        {
            var position = await ReplayAsync(shadow, progressTable, progress, ct);
            await SwapAsync(table, shadowBare, livePosition, position, ct);
            return position;
        }
        catch
        {
            await ExecAsync($"drop table if exists {shadow}", CancellationToken.None);
            throw;
        }
    }

    private async Task<long> ReplayAsync(string shadow, ProgressTable progressTable, IProgress<(long Position, long Target)>? progress, CancellationToken ct)
    {
        var feed = new EventFeed(store.DataSource, store.Schema);
        long position = 0, target = await HeadAsync(ct);
        while (true)
        {
            var page = await feed.ReadAsync(position, 5000, consumer.WantsData, consumer.WantsHashes, ct);
            if (page.Events.Count == 0 && page.Position == position)
            {
                if (feed.PendingGaps == 0) return position; // caught up with everything committed
                await Task.Delay(20, ct);
                continue;
            }
            await using (var conn = await store.DataSource.OpenConnectionAsync(ct))
            await using (var tx = await conn.BeginTransactionAsync(ct))
            {
                await consumer.ApplyAsync(page.Events, conn, tx, shadow, ct);
                await tx.CommitAsync(ct);
            }
            position = page.Position;
            target = Math.Max(target, position);
            progress?.Report((position, target));
            await progressTable.ReportRebuildAsync(consumer.Name, position, target, ct);
        }
    }

    private async Task SwapAsync(Projections.DocumentTable table, string shadowBare, long livePosition, long position, CancellationToken ct)
    {
        var live = table.QualifiedName;
        var bare = live[(live.IndexOf('.') + 1)..];
        await using var conn = await store.DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var fence = new NpgsqlCommand(
            $"""
            update {store.Schema}.projection_progress
               set last_seq = $3, state = 'running', failures = 0, last_error = null, error_position = null,
                   rebuild_requested_at = null, rebuild_seq = null, rebuild_target = null, updated_at = now()
             where name = $1 and last_seq = $2
            """, conn, tx))
        {
            fence.Parameters.Add(new NpgsqlParameter { Value = consumer.Name });
            fence.Parameters.Add(new NpgsqlParameter { Value = livePosition });
            fence.Parameters.Add(new NpgsqlParameter { Value = position });
            if (await fence.ExecuteNonQueryAsync(ct) != 1)
                throw new RebuildFencedException(
                    $"'{consumer.Name}' moved on from position {livePosition} while it was being rebuilt: another runner owns it now, so the rebuilt table was discarded");
        }
        var sql = $"drop table {live}; alter table {store.Schema}.{shadowBare} rename to {bare}; alter table {live} rename constraint {shadowBare}_pkey to {bare}_pkey;";
        foreach (var ix in table.Indexes) sql += $"alter index {store.Schema}.{shadowBare}_{ix.Name} rename to {bare}_{ix.Name};";
        await using (var swap = new NpgsqlCommand(sql, conn, tx)) await swap.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    private async Task DropShadowsAsync(string bare, CancellationToken ct)
    {
        await using var find = store.DataSource.CreateCommand(
            // Exactly this projection's shadows: a projection named "x_rb_1" must not lose its live table to x's rebuild.
            "select tablename from pg_tables where schemaname = $1 and tablename ~ ('^' || $2 || '_rb_[0-9a-f]{8}$')");
        find.Parameters.Add(new NpgsqlParameter { Value = store.Schema });
        find.Parameters.Add(new NpgsqlParameter { Value = bare });
        var stale = new List<string>();
        await using (var r = await find.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) stale.Add(r.GetString(0));
        foreach (var t in stale) await ExecAsync($"drop table if exists {store.Schema}.{t}", ct);
    }

    private async Task<long> HeadAsync(CancellationToken ct)
    {
        await using var cmd = store.DataSource.CreateCommand($"select coalesce(max(seq), 0) from {store.Schema}.events");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private async Task ExecAsync(string sql, CancellationToken ct)
    {
        await using var cmd = store.DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>The projection moved on during the rebuild: whoever rebuilt it no longer owns it, and nothing was swapped in.</summary>
public sealed class RebuildFencedException(string message) : EventStoreException(message);
