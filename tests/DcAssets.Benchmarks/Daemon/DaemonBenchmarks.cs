using System.Diagnostics;
using System.Text;
using DcAssets.Benchmarks.Append;
using DcAssets.EventStore;
using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Integrity;
using DcAssets.EventStore.Projections;
using Npgsql;

namespace DcAssets.Benchmarks.Daemon;

public sealed record LatestReading(string Device, long Readings, double OutputLoad, long Position);

/// <summary>A realistic async read model: the latest reading and a count per device.</summary>
public sealed class LatestReadings : DocumentProjection<LatestReading>
{
    public LatestReadings() : base("latest_readings") => Handles<SampleReading>();

    protected override LatestReading? Apply(LatestReading? current, StoredEvent e)
    {
        var r = (SampleReading)e.Data;
        return new LatestReading(r.Device, (current?.Readings ?? 0) + 1, r.OutputLoad, e.Position);
    }
}

/// <summary>
/// daemon.catchup: an async projection over 1,000,000 events against a raw sequential read of the same rows.
/// daemon.lag: p99 seconds from commit to projected while 2,000 events/s are appended (baseline 1 s, the target).
/// verify: events verified per second against the same raw read.
/// </summary>
public sealed class DaemonBenchmarks : IBenchmark
{
    public string Group => "daemon";

    private const int Total = 1_000_000, Devices = 500;
    internal const int PerSave = 5000, Rounds = 3; // the marten group loads and rounds its catch-up the same way

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        await using var db = await BenchDatabase.CreateAsync(context.ConnectionString, "daemon");
        var options = new EventStoreOptions { ConnectionString = db.ConnectionString };
        options.Events.Register<SampleReading>("sample_reading");
        options.AsyncProjections.Add(new LatestReadings());
        options.Sealing = new SealingOptions(Encoding.UTF8.GetBytes("benchmark seal key, thirty-two bytes or more")) { EveryEvents = 10_000 };
        await using var store = await EventStore.EventStore.CreateAsync(options, ct);
        await LoadAsync(store, db, Total, ct);

        // Rounds alternate the baseline and ours; the first warms the JIT for both sides (a host catching
        // up has run before), and the best round of each is reported, every round printed.
        var raws = new List<double>(); var catchups = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            raws.Add(await RawReadAsync(db.ConnectionString, ct));
            catchups.Add(await CatchUpFromScratchAsync(store, db, options, Total, ct));
        }
        BenchContext.Note($"   catch-up rounds {Seconds(catchups)}, raw reads {Seconds(raws)}");
        context.Report("daemon.catchup", Total / catchups.Min(), Total / raws.Min(), "events/s");

        // Seal everything once (not timed), so verify checks seals as it would in production.
        await CatchUpAsync(store, db, new Sealer(store, options.Sealing), ct);
        var verifies = new List<double>(); raws.Clear();
        for (var round = 0; round < Rounds; round++)
        {
            var verify = Stopwatch.StartNew();
            var report = await new HistoryVerifier(store, options.Sealing).VerifyAsync(0, null, ct);
            verifies.Add(verify.Elapsed.TotalSeconds);
            if (!report.Intact || report.EventsChecked != Total) throw new InvalidOperationException($"verify did not pass cleanly: {report.First}");
            raws.Add(await RawReadAsync(db.ConnectionString, ct));
        }
        BenchContext.Note($"   verify rounds {Seconds(verifies)}, raw reads {Seconds(raws)}");
        context.Report("verify", Total / verifies.Min(), Total / raws.Min(), "events/s");

        var p99 = await LagAsync(store, db, ct);
        context.Report("daemon.lag", p99, 1, "s");
    }

    /// <summary>
    /// Appends <paramref name="total"/> readings from 500 devices, 5,000 per save (not timed, noted), then vacuums.
    /// The marten group loads the very same events into Marten through <see cref="DeviceEvent"/>.
    /// </summary>
    internal static async Task LoadAsync(EventStore.EventStore store, BenchDatabase db, int total, CancellationToken ct)
    {
        var actor = new Actor("bench", "bench", "system", EventSources.Poller);
        var load = Stopwatch.StartNew();
        for (var done = 0; done < total; done += PerSave)
        {
            await using var s = store.OpenSession(actor);
            for (var n = done; n < Math.Min(total, done + PerSave); n++)
            {
                var (stream, reading) = DeviceEvent(n);
                s.Events.Append(stream, reading);
            }
            await s.SaveChangesAsync(ct);
        }
        BenchContext.Note($"   loaded {total} events in {load.Elapsed.TotalSeconds:0.0}s");
        await db.ExecAsync("vacuum analyze");
    }

    /// <summary>The n-th event of the catch-up load: device streams round-robin, readings varying a little.</summary>
    internal static (string Stream, SampleReading Reading) DeviceEvent(int n)
    {
        var device = n % Devices;
        return ($"device-{device:D4}", new SampleReading($"ups-{device:D4}", 40 + n % 20, 97.5, 70, 229.9, 230.1, 24.0,
            "normal", DateTimeOffset.UnixEpoch.AddMinutes(n)));
    }

    /// <summary>
    /// One timed catch-up of <see cref="LatestReadings"/> from nothing (progress and documents cleared first),
    /// checked afterwards to have folded every one of <paramref name="total"/> readings.
    /// </summary>
    internal static async Task<double> CatchUpFromScratchAsync(EventStore.EventStore store, BenchDatabase db,
        EventStoreOptions options, long total, CancellationToken ct)
    {
        await db.ExecAsync(
            "delete from dcassets.projection_progress where name = 'latest_readings'; truncate dcassets.doc_latest_readings");
        var seconds = await CatchUpAsync(store, db, new ProjectionConsumer(store, options.AsyncProjections[0]), ct);
        var folded = await db.ScalarAsync<long>(
            "select sum((data->>'readings')::bigint)::bigint from dcassets.doc_latest_readings");
        if (folded != total) throw new InvalidOperationException($"the catch-up folded {folded} readings, not {total}");
        return seconds;
    }

    internal static string Seconds(IEnumerable<double> xs) =>
        string.Join(" / ", xs.Select(x => x.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "s"));

    // The baseline: every column of every row, read in position order with one query, nothing else.
    private static async Task<double> RawReadAsync(string cs, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("select seq, stream_id, version, type, data::text, metadata::text, recorded_at, hash from dcassets.events order by seq", conn);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        long rows = 0;
        while (await r.ReadAsync(ct))
        {
            _ = r.GetInt64(0); _ = r.GetString(1); _ = r.GetInt64(2); _ = r.GetString(3); _ = r.GetString(4); _ = r.GetString(5);
            _ = r.GetFieldValue<DateTimeOffset>(6); _ = (byte[])r[7];
            rows++;
        }
        if (rows != Total) throw new InvalidOperationException($"raw read saw {rows} rows");
        return sw.Elapsed.TotalSeconds;
    }

    private static async Task<double> CatchUpAsync(EventStore.EventStore store, BenchDatabase db, IFeedConsumer consumer, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await using var daemon = new ProjectionDaemon(store, [consumer], new DaemonOptions { LeaseInterval = TimeSpan.FromMilliseconds(50) });
        await daemon.StartAsync(ct);
        while (!await CaughtUpAsync(db, consumer.Name)) await Task.Delay(20, ct);
        return sw.Elapsed.TotalSeconds;
    }

    private static async Task<bool> CaughtUpAsync(BenchDatabase db, string name)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "select coalesce((select last_seq from dcassets.projection_progress where name = $1), -1) >= (select max(seq) from dcassets.events)", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    // 4 writers × 50 saves/s × 10 events = 2,000 events/s for 20 s; lag = projected time − recorded time.
    private static async Task<double> LagAsync(EventStore.EventStore store, BenchDatabase db, CancellationToken ct)
    {
        await db.ExecAsync("create table lag_log (seq bigint primary key, recorded_at timestamptz, projected_at timestamptz)");
        // A new consumer starting at the head: lag measures new events, not a catch-up over the million before.
        await db.ExecAsync("insert into dcassets.projection_progress (name, last_seq) select 'lag_log', max(seq) from dcassets.events");
        await using var daemon = new ProjectionDaemon(store, [new LagLog()], new DaemonOptions { BatchSize = 2000 });
        await daemon.StartAsync(ct);
        var actor = new Actor("bench", "bench", "system", EventSources.Poller);
        var until = DateTime.UtcNow.AddSeconds(20);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var next = Stopwatch.StartNew();
            for (var i = 0; DateTime.UtcNow < until; i++)
            {
                await using (var s = store.OpenSession(actor))
                {
                    for (var k = 0; k < 10; k++) s.Events.Append($"lag-{w}-{k}", new SampleReading($"ups-{w}", 50, 99, 60, 230, 230, 25, "normal", DateTimeOffset.UtcNow));
                    await s.SaveChangesAsync(ct);
                }
                var wait = TimeSpan.FromMilliseconds(20 * (i + 1)) - next.Elapsed; // 50 saves/s per writer
                if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            }
        }, ct)));
        while (!await CaughtUpAsync(db, "lag_log")) await Task.Delay(20, ct);
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(
            "select percentile_cont(0.99) within group (order by extract(epoch from projected_at - recorded_at)), count(*), percentile_cont(0.5) within group (order by extract(epoch from projected_at - recorded_at)) from lag_log", conn);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var rate = r.GetInt64(1) / 20.0;
        BenchContext.Note($"   lag measured over {r.GetInt64(1)} events ({rate:0} events/s appended), median {r.GetDouble(2):0.000}s");
        if (rate < 1900) throw new InvalidOperationException($"the writers reached only {rate:0} events/s, not 2,000");
        return r.GetDouble(0);
    }

    private sealed class LagLog : IFeedConsumer
    {
        public string Name => "lag_log";
        public DocumentTable? Table => null;
        public bool WantsData(string typeName) => false;

        public async Task ApplyAsync(IReadOnlyList<FeedEvent> page, NpgsqlConnection conn, NpgsqlTransaction tx, string? table, CancellationToken ct)
        {
            var mine = page.Where(e => e.StreamId.StartsWith("lag-", StringComparison.Ordinal)).ToList();
            if (mine.Count == 0) return;
            await using var cmd = new NpgsqlCommand(
                "insert into lag_log select unnest($1::bigint[]), unnest($2::timestamptz[]), clock_timestamp()", conn, tx);
            cmd.Parameters.Add(new NpgsqlParameter { Value = mine.Select(e => e.Position).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = mine.Select(e => e.RecordedAt).ToArray() });
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}
