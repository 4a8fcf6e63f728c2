using System.Diagnostics;
using System.Text.Json;
using DcAssets.Integrity;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace DcAssets.Benchmarks.Append;

/// <summary>A reading-sized event, like the ones pollers append every minute, that no projection of ours handles.
/// </summary>
public sealed record SampleReading(string Device, double OutputLoad, double BatteryCharge, int MinutesRemaining,
    double InputVoltage, double OutputVoltage, double Temperature, string Source, DateTimeOffset At)
{
    public const string Name = "sample_reading";
}

/// <summary>
/// What an append costs through the product (issue 11, "Performance"), each figure beside its baseline of the same
/// run, the sides taking turns batch by batch and round by round (see <see cref="Turns"/>):
/// append.single: 16 writers, one event per save, through our full path (the product's store, its tamper-evidence
/// trigger, a session stamped with an actor) against plain Marten's quick append of the same events (target ≥ 0.8);
/// append.single.raw: plain Marten against single-row autocommit INSERTs into a copy of Marten's event table.
/// append.batch and append.batch.raw: 1,000 events per save over 100 new streams, ours against plain Marten
/// (target ≥ 0.8), Marten against binary COPY of the same rows.
/// The event is one no inline projection handles, so the figures are the store's own cost; what the inline read
/// models add to a real reading is in poll.cycle. Sizes: <see cref="BenchSizes"/>.
/// </summary>
public sealed class AppendBenchmarks : IBenchmark
{
    public string Group => "append";

    internal const int BatchEvents = 1000, BatchStreams = 100, Writers = 16;

    private static readonly JsonSerializerOptions Json = DcAssetsStore.Json();

    private static readonly string Headers = JsonSerializer.Serialize(new Dictionary<string, string>
    {
        [EventHeaders.ActorId] = "poller:bench", [EventHeaders.Role] = "system",
        [EventHeaders.Source] = EventSources.Poller,
    });

    private static readonly string DotnetType =
        $"{typeof(SampleReading).FullName}, {typeof(SampleReading).Assembly.GetName().Name}";

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var sizes = BenchSizes.FromEnvironment();
        BenchContext.Note($"   sizes: {sizes}");
        await using var db = await BenchDatabase.CreateAsync(context.ConnectionString, "append");
        await using var ours = await ProductStore.CreateAsync(db.ConnectionString,
            o => o.Events.MapEventType<SampleReading>(SampleReading.Name), ct);
        await using var marten = await PlainMarten.CreateAsync(db.ConnectionString);
        // The raw baselines write into a table shaped exactly like Marten's (columns, defaults, indexes).
        // Marten numbers events in its append function, so the copy's seq_id gets the sequence as its default.
        await db.ExecAsync($"create table baseline (like {PlainMarten.Schema}.mt_events including all); "
            + $"alter table baseline alter seq_id set default nextval('{PlainMarten.Schema}.mt_events_sequence')");

        var batches = await Turns.BatchesAsync(sizes, b => OursBatch(ours, b, ct), b => MartenBatch(marten, b, ct),
            b => CopyBatch(db, b, ct));
        BenchContext.Note($"   per batch of {BatchEvents}, ms: ours {Spread(batches[0])}; Marten {Spread(batches[1])}; "
            + $"COPY {Spread(batches[2])}");
        var (oursBatch, martenBatch, copyBatch) = (Turns.BatchRate(sizes, batches[0]),
            Turns.BatchRate(sizes, batches[1]), Turns.BatchRate(sizes, batches[2]));
        context.Report("append.batch", oursBatch, martenBatch, "events/s");
        context.Report("append.batch.raw", martenBatch, copyBatch, "events/s");

        // The raw side gets a pool of its own, as each store has.
        await using var raw = new NpgsqlDataSourceBuilder(db.ConnectionString).Build();
        var per = sizes.SinglePerWriter;
        var singles = await Turns.SingleRoundsAsync((_, w) => OursSingle(ours, w, per, ct),
            (_, w) => MartenSingle(marten, w, per, ct), (round, w) => InsertSingle(raw, round, w, per, ct));
        var (oursSingle, martenSingle, insertSingle) = (Turns.SingleRate(sizes, singles[0]),
            Turns.SingleRate(sizes, singles[1]), Turns.SingleRate(sizes, singles[2]));
        context.Report("append.single", oursSingle, martenSingle, "events/s");
        context.Report("append.single.raw", martenSingle, insertSingle, "events/s");

        await CheckAsync(db, ours, Turns.Appended(sizes), ct);
    }

    /// <summary>
    /// A figure for writes that did not all land, or landed without their metadata or their hash, would flatter
    /// that side: every side is counted, and our side's chains verified.
    /// </summary>
    private static async Task CheckAsync(BenchDatabase db, DocumentStore ours, long expected, CancellationToken ct)
    {
        foreach (var table in new[] { $"{DcAssetsStore.Schema}.mt_events", $"{PlainMarten.Schema}.mt_events",
                     "baseline" })
        {
            var stamped = await db.ScalarAsync<long>($"select count(*) from {table} where correlation_id is not null "
                + "and user_name = 'bench' and headers ? 'source'");
            if (stamped != expected)
                throw new InvalidOperationException($"{table} holds {stamped} stamped events, not {expected}");
        }
        var check = await new HistoryVerifier(ours, key: null).VerifyAsync(1, ct);
        if (!check.Intact || check.EventsChecked != expected)
            throw new InvalidOperationException(
                $"our appends do not verify ({check.EventsChecked} events checked): {check.First?.Reason}");
    }

    internal static SampleReading Reading(int stream, int i) => new($"ups-{stream:D4}", 42.5 + i % 7, 98.1,
        73 - i % 5, 229.6, 230.1, 24.5, "normal", DateTimeOffset.UnixEpoch.AddMinutes(i));

    internal static string Spread(List<double> ms)
    {
        var sorted = ms.Order().ToList();
        string At(double q) =>
            sorted[(int)(q * (sorted.Count - 1))].ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        return $"p50 {At(0.5)} p90 {At(0.9)} max {At(1)}";
    }

    internal static async Task<TimeSpan> Timed(Func<Task> run)
    {
        var sw = Stopwatch.StartNew();
        await run();
        return sw.Elapsed;
    }

    internal static Task Concurrent(Func<int, Task> writer) =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() => writer(w))));

    private static async Task OursBatch(IDocumentStore store, int batch, CancellationToken ct)
    {
        await using var s = store.OpenSession(ProductStore.Poller());
        AppendBatch(s, batch);
        await s.SaveChangesAsync(ct);
    }

    private static async Task MartenBatch(IDocumentStore store, int batch, CancellationToken ct)
    {
        await using var s = PlainMarten.OpenSession(store);
        AppendBatch(s, batch);
        await s.SaveChangesAsync(ct);
    }

    private static void AppendBatch(IDocumentSession s, int batch)
    {
        for (var i = 0; i < BatchEvents; i++)
        {
            var stream = i % BatchStreams;
            s.Events.Append($"reading-{batch}-{stream}", Reading(stream, i));
        }
    }

    private static async Task OursSingle(IDocumentStore store, int writer, int perWriter, CancellationToken ct)
    {
        for (var i = 0; i < perWriter; i++)
        {
            await using var s = store.OpenSession(ProductStore.Poller());
            s.Events.Append($"single-{writer}", Reading(writer, i));
            await s.SaveChangesAsync(ct);
        }
    }

    private static async Task MartenSingle(IDocumentStore store, int writer, int perWriter, CancellationToken ct)
    {
        for (var i = 0; i < perWriter; i++)
        {
            await using var s = PlainMarten.OpenSession(store);
            s.Events.Append($"single-{writer}", Reading(writer, i));
            await s.SaveChangesAsync(ct);
        }
    }

    private const string Columns =
        "id, stream_id, version, data, type, mt_dotnet_type, correlation_id, headers, user_name";

    private static async Task CopyBatch(BenchDatabase db, int batch, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var correlation = Guid.NewGuid().ToString("N");
        await using (var copy = await conn.BeginBinaryImportAsync(
            $"copy baseline ({Columns}) from stdin (format binary)", ct))
        {
            for (var i = 0; i < BatchEvents; i++)
            {
                var stream = i % BatchStreams;
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync($"reading-{batch}-{stream}", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync((long)(i / BatchStreams + 1), NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(JsonSerializer.Serialize(Reading(stream, i), Json), NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(SampleReading.Name, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(DotnetType, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(correlation, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(Headers, NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync("bench", NpgsqlDbType.Varchar, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    private static async Task InsertSingle(NpgsqlDataSource source, int round, int writer, int perWriter,
        CancellationToken ct)
    {
        for (var i = 0; i < perWriter; i++)
        {
            await using var cmd = source.CreateCommand(
                $"insert into baseline ({Columns}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
            cmd.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
            // Streams of the raw side's own per round: the table keeps Marten's unique (stream, version) index.
            cmd.Parameters.Add(new NpgsqlParameter { Value = $"single-{round}-{writer}" });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (long)i + 1 });
            cmd.Parameters.Add(new NpgsqlParameter
                { Value = JsonSerializer.Serialize(Reading(writer, i), Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
            cmd.Parameters.Add(new NpgsqlParameter { Value = SampleReading.Name });
            cmd.Parameters.Add(new NpgsqlParameter { Value = DotnetType });
            cmd.Parameters.Add(new NpgsqlParameter { Value = Guid.NewGuid().ToString("N") });
            cmd.Parameters.Add(new NpgsqlParameter { Value = Headers, NpgsqlDbType = NpgsqlDbType.Jsonb });
            cmd.Parameters.Add(new NpgsqlParameter { Value = "bench" });
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}
