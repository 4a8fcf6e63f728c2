using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using DcAssets.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace DcAssets.Benchmarks.Append;

/// <summary>A reading-sized event, like the ones pollers append every minute.</summary>
public sealed record SampleReading(string Device, double OutputLoad, double BatteryCharge, int MinutesRemaining,
    double InputVoltage, double OutputVoltage, double Temperature, string Source, DateTimeOffset At);

/// <summary>
/// append.batch: 1,000 events per SaveChanges over 100 streams against binary COPY of the same rows.
/// append.single: one event per SaveChanges from 16 writers against single-row autocommit INSERTs.
/// Both baselines write into a table shaped exactly like ours (columns, identity, indexes).
/// </summary>
public sealed class AppendBenchmarks : IBenchmark
{
    public string Group => "append";

    // Shapes shared with the marten group (Marten/MartenBenchmarks.cs), which runs the same appends beside Marten.
    internal const int BatchEvents = 1000, BatchStreams = 100, Writers = 16;
    private const int Batches = 150, WarmupBatches = 20;
    private const int SinglePerWriter = 500, SingleRounds = 5, SingleWarmupRounds = 2;

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        await using var db = await BenchDatabase.CreateAsync(context.ConnectionString, "append");
        var options = new EventStoreOptions { ConnectionString = db.ConnectionString };
        options.Events.Register<SampleReading>("sample_reading");
        await using var store = await EventStore.EventStore.CreateAsync(options, ct);
        await CreateBaselineTableAsync(db);
        var actor = new Actor("bench", "bench", "system", EventSources.Poller);

        // Ours and the baseline take turns batch by batch (and round by round for single appends), so
        // both see the same cache, checkpoint and disk weather; warm-up rounds are not counted.
        for (var w = 1; w <= WarmupBatches; w++)
        {
            await OursBatch(store, actor, -w, ct);
            await CopyBatch(db, options, -w, ct);
        }
        TimeSpan oursBatch = default, baseBatch = default;
        List<double> oursEach = [], baseEach = [];
        for (var b = 0; b < Batches; b++)
        {
            var o = await Timed(() => OursBatch(store, actor, b, ct));
            var c = await Timed(() => CopyBatch(db, options, b, ct));
            (oursBatch, baseBatch) = (oursBatch + o, baseBatch + c);
            oursEach.Add(o.TotalMilliseconds);
            baseEach.Add(c.TotalMilliseconds);
        }
        BenchContext.Note($"   per batch of {BatchEvents}, ms: ours {Spread(oursEach)}; COPY {Spread(baseEach)}");
        context.Report("append.batch", Batches * BatchEvents / oursBatch.TotalSeconds, Batches * BatchEvents / baseBatch.TotalSeconds, "events/s");

        // The baseline gets a pool of its own, like the store's, built once.
        await using var baselineSource = new NpgsqlDataSourceBuilder(db.ConnectionString).Build();
        TimeSpan oursSingle = default, baseSingle = default;
        // Warm-up rounds let tiered compilation settle on both sides before anything is counted.
        for (var round = 0; round < SingleWarmupRounds + SingleRounds; round++)
        {
            var ours = await Timed(() => Concurrent(w => OursSingle(store, actor, w, SinglePerWriter, ct)));
            var baseline = await Timed(() =>
                Concurrent(w => InsertSingle(baselineSource, options, round, w, SinglePerWriter, ct)));
            if (round < SingleWarmupRounds) continue;
            oursSingle += ours;
            baseSingle += baseline;
        }
        const double singles = SingleRounds * Writers * SinglePerWriter;
        context.Report("append.single", singles / oursSingle.TotalSeconds, singles / baseSingle.TotalSeconds, "events/s");
    }

    /// <summary>The baselines' table: shaped exactly like ours (columns, identity, indexes).</summary>
    internal static Task CreateBaselineTableAsync(BenchDatabase db) =>
        db.ExecAsync("create table baseline (like dcassets.events including all)");

    internal static SampleReading Reading(int stream, int i) => new($"ups-{stream:D4}", 42.5 + i % 7, 98.1, 73 - i % 5,
        229.6, 230.1, 24.5, "normal", DateTimeOffset.UnixEpoch.AddMinutes(i));

    internal static string Spread(List<double> ms)
    {
        var sorted = ms.Order().ToList();
        string At(double q) => sorted[(int)(q * (sorted.Count - 1))].ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        return $"p50 {At(0.5)} p90 {At(0.9)} max {At(1)}";
    }

    internal static async Task<TimeSpan> Timed(Func<Task> run)
    {
        var sw = Stopwatch.StartNew();
        await run();
        return sw.Elapsed;
    }

    internal static async Task OursBatch(EventStore.EventStore store, Actor actor, int batch, CancellationToken ct)
    {
        await using var s = store.OpenSession(actor);
        for (var i = 0; i < BatchEvents; i++)
        {
            var stream = i % BatchStreams;
            s.Events.Append($"reading-{batch}-{stream}", Reading(stream, i));
        }
        await s.SaveChangesAsync(ct);
    }

    internal static async Task CopyBatch(BenchDatabase db, EventStoreOptions options, int batch, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var meta = Meta(options);
        await using (var copy = await conn.BeginBinaryImportAsync(
            "copy baseline (stream_id, version, type, data, metadata, recorded_at, hash) from stdin (format binary)", ct))
        {
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < BatchEvents; i++)
            {
                var stream = i % BatchStreams;
                await copy.StartRowAsync(ct);
                await copy.WriteAsync($"reading-{batch}-{stream}", NpgsqlDbType.Text, ct);
                await copy.WriteAsync((long)(i / BatchStreams + 1), NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync("sample_reading", NpgsqlDbType.Text, ct);
                await copy.WriteAsync(JsonSerializer.Serialize(Reading(stream, i), options.Json), NpgsqlDbType.Json, ct);
                await copy.WriteAsync(meta, NpgsqlDbType.Json, ct);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(RandomNumberGenerator.GetBytes(32), NpgsqlDbType.Bytea, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    internal static Task Concurrent(Func<int, Task> writer) =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() => writer(w))));

    internal static async Task OursSingle(EventStore.EventStore store, Actor actor, int writer, int perWriter,
        CancellationToken ct)
    {
        for (var i = 0; i < perWriter; i++)
        {
            await using var s = store.OpenSession(actor);
            s.Events.Append($"single-{writer}", Reading(writer, i));
            await s.SaveChangesAsync(ct);
        }
    }

    internal static async Task InsertSingle(NpgsqlDataSource source, EventStoreOptions options, int round, int writer,
        int perWriter, CancellationToken ct)
    {
        var meta = Meta(options);
        for (var i = 0; i < perWriter; i++)
        {
            await using var cmd = source.CreateCommand(
                "insert into baseline (stream_id, version, type, data, metadata, recorded_at, hash) values ($1, $2, $3, $4, $5, $6, $7)");
            cmd.Parameters.Add(new NpgsqlParameter { Value = $"single-{writer}" });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (long)round * perWriter + i + 1 });
            cmd.Parameters.Add(new NpgsqlParameter { Value = "sample_reading" });
            cmd.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(Reading(writer, i), options.Json), NpgsqlDbType = NpgsqlDbType.Json });
            cmd.Parameters.Add(new NpgsqlParameter { Value = meta, NpgsqlDbType = NpgsqlDbType.Json });
            cmd.Parameters.Add(new NpgsqlParameter { Value = DateTimeOffset.UtcNow });
            cmd.Parameters.Add(new NpgsqlParameter { Value = RandomNumberGenerator.GetBytes(32) });
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private static string Meta(EventStoreOptions options) => JsonSerializer.Serialize(new EventMetadata
    {
        ActorId = "bench", ActorName = "bench", Role = "system", Source = EventSources.Poller, CorrelationId = Guid.NewGuid().ToString("N"),
    }, options.Json);
}
