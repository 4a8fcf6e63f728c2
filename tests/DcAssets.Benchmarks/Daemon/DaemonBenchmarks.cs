using System.Data;
using System.Diagnostics;
using System.Globalization;
using DcAssets.Telemetry;
using DcAssets.Telemetry.Readings;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace DcAssets.Benchmarks.Daemon;

/// <summary>
/// The product's async side in Marten's daemon (issue 11, "Performance"), each figure beside its baseline:
/// daemon.catchup: the telemetry hourly rollup, our heaviest async projection, catching up over 300,000 UPS
/// readings, against a counting projection over the same events in the same daemon (target ≥ 0.5);
/// daemon.catchup.raw: the counting projection against one sequential read of the event table.
/// verify and verify.seal: <see cref="VerifyRounds"/> over the same events.
/// daemon.lag: p99 seconds from an event's timestamp to its being projected while readings are appended at 2,000
/// events/s with every async projection of the product running (baseline 1 s, the target).
/// Rounds alternate the sides, the first also warms the JIT, and the best round of each is reported, every round
/// printed. Sizes: <see cref="BenchSizes"/>.
/// </summary>
public sealed class DaemonBenchmarks : IBenchmark
{
    public string Group => "daemon";

    internal const int Rounds = 3;

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var sizes = BenchSizes.FromEnvironment();
        BenchContext.Note($"   sizes: {sizes}");
        await CatchUpAndVerifyAsync(context, sizes.CatchUpEvents, ct);
        await LagAsync(context, sizes.LagSeconds, ct);
    }

    private static async Task CatchUpAndVerifyAsync(BenchContext context, int total, CancellationToken ct)
    {
        await using var db = await BenchDatabase.CreateAsync(context.ConnectionString, "daemon");
        var counter = new ReadingCounter();
        await using var store = await ProductStore.CreateAsync(db.ConnectionString,
            o => o.Projections.Add(counter, ProjectionLifecycle.Async), ct);
        await UpsReadings.LoadAsync(store, db, total, ct);
        var head = await db.ScalarAsync<long>($"select max(seq_id) from {DcAssetsStore.Schema}.mt_events");

        List<double> rollups = [], counts = [], raws = [];
        for (var round = 0; round < Rounds; round++)
        {
            raws.Add(await RawReadAsync(db, $"select * from {DcAssetsStore.Schema}.mt_events order by seq_id",
                CommandBehavior.Default, total, ct));
            counter.Reset();
            counts.Add(await CatchUpAsync(store, db, ReadingCounter.ProjectionName, head, ct));
            if (counter.Seen != total)
                throw new InvalidOperationException(
                    $"the counting projection saw {counter.Seen} readings, not {total}");
            await db.ExecAsync($"delete from {DcAssetsStore.Schema}.mt_doc_{TelemetrySlice.HourlyRollups}");
            rollups.Add(await CatchUpAsync(store, db, TelemetrySlice.HourlyRollups, head, ct));
            await CheckRollupsAsync(store, total, ct);
        }
        BenchContext.Note($"   catch-up of {total} readings: hourly rollup {Seconds(rollups)}; "
            + $"counting {Seconds(counts)}; raw reads {Seconds(raws)}");
        context.Report("daemon.catchup", total / rollups.Min(), total / counts.Min(), "events/s");
        context.Report("daemon.catchup.raw", total / counts.Min(), total / raws.Min(), "events/s");

        // The catch-ups moved Marten's high-water mark to the last event, which is what the sealer seals up to.
        await VerifyRounds.RunAsync(context, store, db, total, ct);
    }

    /// <summary>
    /// One catch-up of one projection from nothing (its progress row deleted first), the way Marten documents
    /// running its daemon outside a host. The wait is on the daemon's shard-state tracker, pushed as each page
    /// commits, rather than WaitForNonStaleData, which polls every 250 ms and would blur a short catch-up. The
    /// tracker belongs to the database, not the daemon, so it still holds the last round's final state: only a
    /// state stamped after this round began counts.
    /// </summary>
    private static async Task<double> CatchUpAsync(DocumentStore store, BenchDatabase db, string projection, long head,
        CancellationToken ct)
    {
        var shard = store.Options.Projections.AllShards().Single(s => s.Name.Name == projection).Name;
        await db.ExecAsync($"delete from {DcAssetsStore.Schema}.mt_event_progression where name = '{shard.Identity}'");
        var began = DateTimeOffset.UtcNow;
        var sw = Stopwatch.StartNew();
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAgentAsync(shard, ct);
        await daemon.Tracker.WaitForShardCondition(
            s => s.ShardName == shard.Identity && s.Sequence >= head && s.Timestamp >= began,
            $"{shard.Identity} at {head}", TimeSpan.FromMinutes(10));
        var seconds = sw.Elapsed.TotalSeconds;
        await daemon.StopAllAsync();
        return seconds;
    }

    /// <summary>A catch-up that skipped or repeated readings would flatter the rollup: each one counts once.</summary>
    private static async Task CheckRollupsAsync(IDocumentStore store, int total, CancellationToken ct)
    {
        await using var s = store.QuerySession();
        var rollups = await s.Query<HourlyReadingRollup>().ToListAsync(ct);
        var folded = rollups.Sum(r => r.Readings["battery_charge"].Count);
        if (folded != total)
            throw new InvalidOperationException($"the hourly rollup folded {folded} readings, not {total}");
    }

    /// <summary>A baseline: one query over the event table, every column of every row read and dropped.</summary>
    internal static async Task<double> RawReadAsync(BenchDatabase db, string sql, CommandBehavior behavior, long total,
        CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        await using var r = await cmd.ExecuteReaderAsync(behavior, ct);
        long rows = 0;
        while (await r.ReadAsync(ct))
        {
            for (var i = 0; i < r.FieldCount; i++) _ = r.GetValue(i);
            rows++;
        }
        if (rows != total) throw new InvalidOperationException($"raw read saw {rows} rows, not {total}");
        return sw.Elapsed.TotalSeconds;
    }

    internal static string Seconds(IEnumerable<double> xs) =>
        string.Join(" / ", xs.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture) + "s"));

    /// <summary>
    /// 4 writers × 5 saves/s × 100 readings (saves the size the poller's batcher makes of a busy cycle) = 2,000
    /// events/s through the product (inline read models, trigger) on a fresh database, while the daemon runs every
    /// async projection of the product and <see cref="LagLog"/>. The lag is the time the probe applied a reading
    /// minus the reading's server timestamp, taken when its save ran, so the figure errs long by the save's own
    /// duration. A few unpaced saves first warm the JIT and the pool; their readings are not counted. Writers that
    /// fall behind do not skip saves, they catch up: daemon.lag.rate prints the rate reached beside 2,000, since a
    /// lag measured at a lower rate does not meet the target, however short.
    /// </summary>
    private static async Task LagAsync(BenchContext context, double duration, CancellationToken ct)
    {
        await using var db = await BenchDatabase.CreateAsync(context.ConnectionString, "lag");
        await using var store = await ProductStore.CreateAsync(db.ConnectionString,
            o => o.Projections.Add(new LagLog(), ProjectionLifecycle.Async), ct);
        await db.ExecAsync($"create table {LagLog.Table} (seq bigint primary key, recorded_at timestamptz, "
            + "projected_at timestamptz)");
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        const int writers = 4, perSave = 100, warmup = 5;
        var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        async Task SaveAsync(int writer, int save)
        {
            await using var s = store.OpenSession(ProductStore.Poller());
            // Each writer its own devices, a new scheduled minute per save: every poll slot is new.
            for (var k = 0; k < perSave; k++)
            {
                var (stream, reading) = UpsReadings.Event(writer * perSave + k, start.AddMinutes(save), save);
                s.Events.Append(stream, reading);
            }
            await s.SaveChangesAsync(ct);
        }
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < warmup; i++) await SaveAsync(w, i);
        }, ct)));
        var after = await db.ScalarAsync<long>($"select max(seq_id) from {DcAssetsStore.Schema}.mt_events");

        var clock = Stopwatch.StartNew();
        var appended = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var i = 0;
            for (; clock.Elapsed.TotalSeconds < duration; i++)
            {
                await SaveAsync(w, warmup + i);
                var wait = TimeSpan.FromMilliseconds(200 * (i + 1)) - clock.Elapsed; // 5 saves/s per writer
                if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            }
            return i * perSave;
        }, ct)));
        var total = appended.Sum();
        var rate = total / clock.Elapsed.TotalSeconds;
        var waited = Stopwatch.StartNew();
        while (await db.ScalarAsync<long>($"select count(*) from {LagLog.Table} where seq > {after}") < total)
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(2))
                throw new TimeoutException("the daemon did not project every reading within 2 minutes of the last");
            await Task.Delay(20, ct);
        }
        await daemon.StopAllAsync();
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            select percentile_cont(array[0.5, 0.99]) within group
                   (order by extract(epoch from projected_at - recorded_at)), max(projected_at - recorded_at)
              from {LagLog.Table} where seq > {after}
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var (quantiles, max) = (r.GetFieldValue<double[]>(0), r.GetFieldValue<TimeSpan>(1));
        BenchContext.Note($"   lag over {total} readings ({rate:0} events/s appended): median {quantiles[0]:0.000}s, "
            + $"max {max.TotalSeconds:0.000}s");
        context.Report("daemon.lag", quantiles[1], 1, "s");
        context.Report("daemon.lag.rate", rate, 2000, "events/s");
    }
}
