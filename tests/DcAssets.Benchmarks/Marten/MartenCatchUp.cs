using System.Data;
using System.Diagnostics;
using DcAssets.Benchmarks.Append;
using DcAssets.Benchmarks.Daemon;
using DcAssets.EventStore;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Npgsql;

namespace DcAssets.Benchmarks.Marten;

/// <summary>
/// Marten's side of the catch-up: counts the readings it is handed and writes nothing, so its figure is the cost of
/// Marten's daemon itself (load, deserialise, dispatch, progress), the least any Marten projection can cost.
/// An explicit ApplyAsync rather than conventional methods: Marten 9 generates no code at run time.
/// </summary>
public sealed class ReadingCounter : EventProjection
{
    private long _seen;

    public ReadingCounter()
    {
        Name = "reading_counter";
        IncludeType<SampleReading>();
    }

    public long Seen => Interlocked.Read(ref _seen);

    public void Reset() => Interlocked.Exchange(ref _seen, 0);

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        if (e.Data is SampleReading) Interlocked.Increment(ref _seen);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// marten.catchup: our daemon folding LatestReadings (the daemon group's projection) against Marten's async daemon
/// running <see cref="ReadingCounter"/> over the same events; marten.catchup.raw: Marten against one sequential
/// read of every column of its event table. Both stores hold the events in one database, loaded alike.
/// </summary>
internal static class MartenCatchUp
{
    public static async Task RunAsync(BenchContext context, MartenSizes sizes, CancellationToken ct)
    {
        var total = sizes.CatchUpEvents;
        await using var db = await BenchDatabase.CreateAsync(context.ConnectionString, "mcatchup");
        var options = new EventStoreOptions { ConnectionString = db.ConnectionString };
        options.Events.Register<SampleReading>("sample_reading");
        options.AsyncProjections.Add(new LatestReadings());
        await using var ours = await EventStore.EventStore.CreateAsync(options, ct);
        var counter = new ReadingCounter();
        await using var marten = await PlainMarten.CreateAsync(db.ConnectionString, opts =>
        {
            opts.Projections.Add(counter, ProjectionLifecycle.Async);
            // The benchmark runs the daemon itself. Saying so stops Marten's stdout warning that none will run.
            opts.Projections.AsyncMode = DaemonMode.ExternallyManaged;
        }, ct);
        await DaemonBenchmarks.LoadAsync(ours, db, total, ct);
        await LoadAsync(marten, db, total, ct);
        var head = await db.ScalarAsync<long>($"select max(seq_id) from {PlainMarten.Schema}.mt_events");

        // As in the daemon group: rounds alternate the sides, the first warms the JIT for all of them, and the
        // best round of each is reported, every round printed.
        List<double> oursRounds = [], martenRounds = [], raws = [];
        for (var round = 0; round < DaemonBenchmarks.Rounds; round++)
        {
            raws.Add(await RawReadAsync(db, $"select * from {PlainMarten.Schema}.mt_events order by seq_id",
                CommandBehavior.Default, total, ct));
            martenRounds.Add(await CatchUpFromScratchAsync(marten, db, counter, head, total));
            oursRounds.Add(await DaemonBenchmarks.CatchUpFromScratchAsync(ours, db, options, total, ct));
        }
        BenchContext.Note($"   catch-up of {total} events, ours {DaemonBenchmarks.Seconds(oursRounds)}; "
            + $"Marten {DaemonBenchmarks.Seconds(martenRounds)}; raw reads {DaemonBenchmarks.Seconds(raws)}");
        context.Report("marten.catchup", total / oursRounds.Min(), total / martenRounds.Min(), "events/s");
        context.Report("marten.catchup.raw", total / martenRounds.Min(), total / raws.Min(), "events/s");
    }

    /// <summary>The daemon group's events (same streams, readings and saves of 5,000), appended to Marten.</summary>
    internal static async Task LoadAsync(IDocumentStore store, BenchDatabase db, int total, CancellationToken ct)
    {
        var load = Stopwatch.StartNew();
        for (var done = 0; done < total; done += DaemonBenchmarks.PerSave)
        {
            await using var session = store.LightweightSession();
            PlainMarten.Stamp(session);
            for (var n = done; n < Math.Min(total, done + DaemonBenchmarks.PerSave); n++)
            {
                var (stream, reading) = DaemonBenchmarks.DeviceEvent(n);
                session.Events.Append(stream, reading);
            }
            await session.SaveChangesAsync(ct);
        }
        BenchContext.Note($"   loaded {total} events into Marten in {load.Elapsed.TotalSeconds:0.0}s");
        await db.ExecAsync("vacuum analyze");
    }

    /// <summary>
    /// One catch-up from nothing, the way Marten documents running its daemon outside a host: build it, start every
    /// projection, wait. The wait is on the daemon's shard-state tracker, pushed as each page commits, rather than
    /// WaitForNonStaleData, which polls the progress table every 250 ms and would blur a short catch-up.
    /// The tracker belongs to the database, not the daemon, so it still holds the last round's final state, and
    /// WaitForShardState would answer from that at once: only a state stamped after this round began counts.
    /// </summary>
    private static async Task<double> CatchUpFromScratchAsync(DocumentStore store, BenchDatabase db,
        ReadingCounter counter, long head, long total)
    {
        var shard = counter.ShardNames().Single();
        await db.ExecAsync($"delete from {PlainMarten.Schema}.mt_event_progression where name = '{shard.Identity}'");
        counter.Reset();
        var began = DateTimeOffset.UtcNow;
        var sw = Stopwatch.StartNew();
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        await daemon.Tracker.WaitForShardCondition(
            s => s.ShardName == shard.Identity && s.Sequence >= head && s.Timestamp >= began,
            $"{shard.Identity} at {head}", TimeSpan.FromMinutes(10));
        var seconds = sw.Elapsed.TotalSeconds;
        await daemon.StopAllAsync();
        if (counter.Seen != total)
            throw new InvalidOperationException($"Marten's daemon counted {counter.Seen} readings, not {total}");
        return seconds;
    }

    /// <summary>
    /// A baseline: one query over the event table, every column of every row read and dropped, nothing else.
    /// marten.catchup reads <c>select *</c>; integrity.verify reads the verifier's own columns, and reads them
    /// sequentially as the verifier does.
    /// </summary>
    internal static async Task<double> RawReadAsync(BenchDatabase db, string sql, CommandBehavior behavior, long total,
        CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
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
}
