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

    private const int SingleRounds = 5, SingleWarmupRounds = 2;

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

        // Batches: ours, Marten, COPY, in turn; warm-up batches (negative numbers, own streams) are not counted.
        for (var w = 1; w <= sizes.WarmupBatches; w++)
        {
            await OursBatch(ours, actor, -w, ct);
            await PlainMarten.BatchAsync(marten, -w, ct);
            await CopyBatch(db, options, -w, ct);
        }
        List<double> oursEach = [], martenEach = [], copyEach = [];
        for (var b = 0; b < sizes.Batches; b++)
        {
            oursEach.Add((await Timed(() => OursBatch(ours, actor, b, ct))).TotalMilliseconds);
            martenEach.Add((await Timed(() => PlainMarten.BatchAsync(marten, b, ct))).TotalMilliseconds);
            copyEach.Add((await Timed(() => CopyBatch(db, options, b, ct))).TotalMilliseconds);
        }
        BenchContext.Note($"   per batch of {BatchEvents}, ms: ours {Spread(oursEach)}; Marten {Spread(martenEach)}; "
            + $"COPY {Spread(copyEach)}");
        double BatchRate(List<double> ms) => sizes.Batches * BatchEvents / (ms.Sum() / 1000);
        context.Report("marten.append.batch", BatchRate(oursEach), BatchRate(martenEach), "events/s");
        context.Report("marten.append.batch.raw", BatchRate(martenEach), BatchRate(copyEach), "events/s");

        // Singles: 16 writers, each on its own stream, one event per save; a round of each side in turn.
        await using var baselineSource = new NpgsqlDataSourceBuilder(db.ConnectionString).Build();
        var per = sizes.SinglePerWriter;
        TimeSpan oursSingle = default, martenSingle = default, rawSingle = default;
        for (var round = 0; round < SingleWarmupRounds + SingleRounds; round++)
        {
            var o = await Timed(() => Concurrent(w => OursSingle(ours, actor, w, per, ct)));
            var m = await Timed(() => Concurrent(w => PlainMarten.SingleAsync(marten, w, per, ct)));
            var r = await Timed(() => Concurrent(w => InsertSingle(baselineSource, options, round, w, per, ct)));
            if (round < SingleWarmupRounds) continue; // lets tiered compilation settle on every side
            (oursSingle, martenSingle, rawSingle) = (oursSingle + o, martenSingle + m, rawSingle + r);
        }
        double singles = SingleRounds * Writers * per;
        context.Report("marten.append.single", singles / oursSingle.TotalSeconds, singles / martenSingle.TotalSeconds,
            "events/s");
        context.Report("marten.append.single.raw", singles / martenSingle.TotalSeconds,
            singles / rawSingle.TotalSeconds, "events/s");
        await PlainMarten.CheckAppendedAsync(db, expected: (sizes.WarmupBatches + sizes.Batches) * BatchEvents
            + (SingleWarmupRounds + SingleRounds) * Writers * per);
    }
}

/// <summary>
/// Sizes of the marten group, from the environment so ops/bench needs no new arguments.
/// DCASSETS_BENCH_SCALE (default 1) multiplies every count, for a smoke run (its figures mean nothing);
/// DCASSETS_BENCH_EVENTS (default 300,000, the count issue 11 names) is the catch-up's event count before scaling.
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
