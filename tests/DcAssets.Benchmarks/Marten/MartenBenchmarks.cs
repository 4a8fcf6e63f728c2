using DcAssets.Benchmarks.Append;
using DcAssets.EventStore;
using Npgsql;
using static DcAssets.Benchmarks.Append.AppendBenchmarks;

namespace DcAssets.Benchmarks.Marten;

/// <summary>
/// Our store beside plain Marten (issue 11, "Performance"), one process, one database server, the sides taking turns
/// so they see the same cache, checkpoint and disk weather. Each comparison prints two lines:
/// marten.append.single, marten.append.batch, marten.catchup: ours against Marten;
/// the same names with .raw: Marten against the raw INSERT / binary COPY / sequential read the other groups use.
/// Sizes: see <see cref="MartenSizes"/>.
/// </summary>
public sealed class MartenBenchmarks : IBenchmark
{
    public string Group => "marten";

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var sizes = MartenSizes.FromEnvironment();
        BenchContext.Note($"   sizes: {sizes}");
        await AppendAsync(context, sizes, ct);
        await MartenCatchUp.RunAsync(context, sizes, ct);
    }

    private static async Task AppendAsync(BenchContext context, MartenSizes sizes, CancellationToken ct)
    {
        await using var db = await BenchDatabase.CreateAsync(context.ConnectionString, "marten");
        var options = new EventStoreOptions { ConnectionString = db.ConnectionString };
        options.Events.Register<SampleReading>("sample_reading");
        await using var ours = await EventStore.EventStore.CreateAsync(options, ct);
        await using var marten = await PlainMarten.CreateAsync(db.ConnectionString, configure: null, ct);
        await CreateBaselineTableAsync(db);
        var actor = new Actor("bench", "bench", "system", EventSources.Poller);

        // Batches, then singles: ours, Marten, raw, in turn (see Turns).
        var batches = await Turns.BatchesAsync(sizes, b => OursBatch(ours, actor, b, ct),
            b => PlainMarten.BatchAsync(marten, b, ct), b => CopyBatch(db, options, b, ct));
        var (oursEach, martenEach, copyEach) = (batches[0], batches[1], batches[2]);
        BenchContext.Note($"   per batch of {BatchEvents}, ms: ours {Spread(oursEach)}; Marten {Spread(martenEach)}; "
            + $"COPY {Spread(copyEach)}");
        context.Report("marten.append.batch", Turns.BatchRate(sizes, oursEach), Turns.BatchRate(sizes, martenEach),
            "events/s");
        context.Report("marten.append.batch.raw", Turns.BatchRate(sizes, martenEach), Turns.BatchRate(sizes, copyEach),
            "events/s");

        // Singles: 16 writers, each on its own stream, one event per save. The raw side gets a pool of its own.
        await using var baselineSource = new NpgsqlDataSourceBuilder(db.ConnectionString).Build();
        var per = sizes.SinglePerWriter;
        var singles = await Turns.SingleRoundsAsync((_, w) => OursSingle(ours, actor, w, per, ct),
            (_, w) => PlainMarten.SingleAsync(marten, w, per, ct),
            (round, w) => InsertSingle(baselineSource, options, round, w, per, ct));
        var (oursRate, martenRate, rawRate) = (Turns.SingleRate(sizes, singles[0]), Turns.SingleRate(sizes, singles[1]),
            Turns.SingleRate(sizes, singles[2]));
        context.Report("marten.append.single", oursRate, martenRate, "events/s");
        context.Report("marten.append.single.raw", martenRate, rawRate, "events/s");
        await PlainMarten.CheckAppendedAsync(db, Turns.Appended(sizes));
    }
}

/// <summary>
/// Sizes of the marten and integrity groups, from the environment so ops/bench needs no new arguments.
/// DCASSETS_BENCH_SCALE (default 1) multiplies every count, for a smoke run (its figures mean nothing);
/// DCASSETS_BENCH_EVENTS (default 300,000, the count issue 11 names) is the event count of the catch-up and of
/// integrity.verify before scaling.
/// </summary>
public sealed record MartenSizes(int WarmupBatches, int Batches, int SinglePerWriter, int CatchUpEvents)
{
    public static MartenSizes FromEnvironment()
    {
        var scale = Number("DCASSETS_BENCH_SCALE", 1);
        var events = Number("DCASSETS_BENCH_EVENTS", 300_000);
        int Scaled(double n) => Math.Max(1, (int)Math.Round(n * scale));
        // 20 + 150 batches and 500 saves per writer per round: the append group's sizes, so figures compare.
        return new MartenSizes(Scaled(20), Scaled(150), Scaled(500), Scaled(events));
    }

    private static double Number(string name, double fallback)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0) return n;
        throw new ArgumentException($"{name}={text} is not a positive number");
    }
}
