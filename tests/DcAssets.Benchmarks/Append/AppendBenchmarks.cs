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

    private const int BatchEvents = 1000, BatchStreams = 100, Batches = 60, WarmupBatches = 5;
    private const int Writers = 16, SinglePerWriter = 400;

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        await using var db = await BenchDatabase.CreateAsync(context.ConnectionString, "append");
        var options = new EventStoreOptions { ConnectionString = db.ConnectionString };
        options.Events.Register<SampleReading>("sample_reading");
        await using var store = await EventStore.EventStore.CreateAsync(options, ct);
        await db.ExecAsync("create table baseline (like dcassets.events including all)");
        var actor = new Actor("bench", "bench", "system", EventSources.Poller);

        // Alternate ours and the baseline so both see the same cache and checkpoint weather.
        double oursBatch = 0, baseBatch = 0;
        for (var round = 0; round < 2; round++)
        {
            oursBatch += await Rate(Batches, WarmupBatches, b => OursBatch(store, actor, round, b, ct));
            baseBatch += await Rate(Batches, WarmupBatches, b => CopyBatch(db, options, round, b, ct));
        }
        context.Report("append.batch", oursBatch / 2, baseBatch / 2, "events/s");

        var oursSingle = await Concurrent(w => OursSingle(store, actor, w, ct));
        var baseSingle = await Concurrent(w => InsertSingle(db, options, w, ct));
        context.Report("append.single", oursSingle, baseSingle, "events/s");
    }

    private static SampleReading Reading(int stream, int i) => new($"ups-{stream:D4}", 42.5 + i % 7, 98.1, 73 - i % 5, 229.6,
        230.1, 24.5, "normal", DateTimeOffset.UnixEpoch.AddMinutes(i));

    private static async Task<double> Rate(int batches, int warmup, Func<int, Task> run)
    {
        for (var b = 0; b < warmup; b++) await run(-b - 1);
        var sw = Stopwatch.StartNew();
        for (var b = 0; b < batches; b++) await run(b);
        return batches * (double)BatchEvents / sw.Elapsed.TotalSeconds;
    }

    private static async Task OursBatch(EventStore.EventStore store, Actor actor, int round, int batch, CancellationToken ct)
    {
        await using var s = store.OpenSession(actor);
        for (var i = 0; i < BatchEvents; i++)
        {
            var stream = i % BatchStreams;
            s.Events.Append($"reading-{round}-{batch}-{stream}", Reading(stream, i));
        }
        await s.SaveChangesAsync(ct);
    }

    private static async Task CopyBatch(BenchDatabase db, EventStoreOptions options, int round, int batch, CancellationToken ct)
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
                await copy.WriteAsync($"reading-{round}-{batch}-{stream}", NpgsqlDbType.Text, ct);
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

    private static async Task<double> Concurrent(Func<int, Task> writer)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() => writer(w))));
        var elapsed = sw.Elapsed.TotalSeconds;
        BenchContext.Note($"   client cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00}s of {elapsed:0.00}s wall");
        return Writers * SinglePerWriter / elapsed;
    }

    private static async Task OursSingle(EventStore.EventStore store, Actor actor, int writer, CancellationToken ct)
    {
        for (var i = 0; i < SinglePerWriter; i++)
        {
            await using var s = store.OpenSession(actor);
            s.Events.Append($"single-{writer}", Reading(writer, i));
            await s.SaveChangesAsync(ct);
        }
    }

    private static async Task InsertSingle(BenchDatabase db, EventStoreOptions options, int writer, CancellationToken ct)
    {
        var meta = Meta(options);
        var source = new NpgsqlDataSourceBuilder(db.ConnectionString).Build();
        await using var _ = source;
        for (var i = 0; i < SinglePerWriter; i++)
        {
            await using var cmd = source.CreateCommand(
                "insert into baseline (stream_id, version, type, data, metadata, recorded_at, hash) values ($1, $2, $3, $4, $5, $6, $7)");
            cmd.Parameters.Add(new NpgsqlParameter { Value = $"single-{writer}" });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (long)i + 1 });
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
