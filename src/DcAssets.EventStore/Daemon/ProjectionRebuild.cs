using Npgsql;

namespace DcAssets.EventStore.Daemon;

/// <summary>
/// Replays a projection from position zero into a shadow table while the system keeps appending,
/// then swaps it in under one transaction: readers see the old model until the new one is whole.
/// The caller must hold the projection's lease (the daemon's runner, or the CLI when no node runs it).
/// </summary>
public sealed class ProjectionRebuild(EventStore store, IFeedConsumer consumer)
{
    public async Task<long> RunAsync(IProgress<(long Position, long Target)>? progress, CancellationToken ct)
    {
        var table = consumer.Table ?? throw new InvalidOperationException($"'{consumer.Name}' keeps no documents and cannot be rebuilt");
        var progressTable = new ProgressTable(store.DataSource, store.Schema);
        await progressTable.EnsureAsync(consumer.Name, ct);
        var live = table.QualifiedName;
        var shadow = live + "_rebuild";
        await ExecAsync($"drop table if exists {shadow}; {table.CreateSql(shadow)}", ct);

        var feed = new EventFeed(store.DataSource, store.Schema);
        long position = 0, target = await HeadAsync(ct);
        while (true)
        {
            var page = await feed.ReadAsync(position, 5000, consumer.WantsData, ct);
            if (page.Events.Count == 0 && page.Position == position)
            {
                if (feed.PendingGaps == 0) break; // caught up with everything committed
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

        await using (var conn = await store.DataSource.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            var bare = live[(live.IndexOf('.') + 1)..];
            var sql = $"drop table {live}; alter table {shadow} rename to {bare}; alter table {live} rename constraint {bare}_rebuild_pkey to {bare}_pkey;";
            foreach (var ix in table.Indexes) sql += $"alter index {store.Schema}.{bare}_rebuild_{ix.Name} rename to {bare}_{ix.Name};";
            sql += $"update {store.Schema}.projection_progress set last_seq = {position}, state = 'running', failures = 0, last_error = null, error_position = null, rebuild_requested_at = null, rebuild_seq = null, rebuild_target = null, updated_at = now() where name = '{consumer.Name}';";
            await using var cmd = new NpgsqlCommand(sql, conn, tx);
            await cmd.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }
        return position;
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
