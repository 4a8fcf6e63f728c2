using static DcAssets.Benchmarks.Append.AppendBenchmarks;

namespace DcAssets.Benchmarks.Append;

/// <summary>
/// The sides of a comparison taking turns in one process and one database server, batch by batch or round by
/// round, so they all see the same cache, checkpoint and disk weather. Used by the append group.
/// </summary>
internal static class Turns
{
    public const int SingleRounds = 5, SingleWarmupRounds = 2;

    /// <summary>
    /// Each side writes batch b (given its number) before any side writes b + 1. Warm-up batches have negative
    /// numbers, hence streams of their own, and are not counted. Returns each side's time per counted batch in ms.
    /// </summary>
    public static async Task<List<double>[]> BatchesAsync(BenchSizes sizes, params Func<int, Task>[] sides)
    {
        for (var w = 1; w <= sizes.WarmupBatches; w++)
            foreach (var side in sides) await side(-w);
        var each = sides.Select(_ => new List<double>()).ToArray();
        for (var b = 0; b < sizes.Batches; b++)
            for (var s = 0; s < sides.Length; s++)
            {
                var (side, batch) = (sides[s], b);
                each[s].Add((await Timed(() => side(batch))).TotalMilliseconds);
            }
        return each;
    }

    /// <summary>
    /// Single appends: in each round every side in turn runs <see cref="Writers"/> writers at once (given round and
    /// writer). The warm-up rounds let tiered compilation settle on every side. Returns each side's counted time.
    /// </summary>
    public static async Task<TimeSpan[]> SingleRoundsAsync(params Func<int, int, Task>[] sides)
    {
        var counted = new TimeSpan[sides.Length];
        for (var round = 0; round < SingleWarmupRounds + SingleRounds; round++)
            for (var s = 0; s < sides.Length; s++)
            {
                var (side, r) = (sides[s], round);
                var elapsed = await Timed(() => Concurrent(w => side(r, w)));
                if (round >= SingleWarmupRounds) counted[s] += elapsed;
            }
        return counted;
    }

    public static double BatchRate(BenchSizes sizes, List<double> ms) =>
        sizes.Batches * BatchEvents / (ms.Sum() / 1000);

    public static double SingleRate(BenchSizes sizes, TimeSpan counted) =>
        SingleRounds * Writers * sizes.SinglePerWriter / counted.TotalSeconds;

    /// <summary>How many events <see cref="BatchesAsync"/> and <see cref="SingleRoundsAsync"/> append per side.
    /// </summary>
    public static long Appended(BenchSizes sizes) => (sizes.WarmupBatches + sizes.Batches) * BatchEvents
        + (SingleWarmupRounds + SingleRounds) * Writers * sizes.SinglePerWriter;
}
