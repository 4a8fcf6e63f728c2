using System.Globalization;

namespace DcAssets.Benchmarks;

/// <summary>
/// Sizes of the append and daemon groups, from the environment so ops/bench needs no new arguments.
/// DCASSETS_BENCH_SCALE (default 1) multiplies every count, for a smoke run (its figures mean nothing);
/// DCASSETS_BENCH_EVENTS (default 300,000, the count issue 11 names) is the event count of the catch-up and of
/// verify before scaling. daemon.lag appends for 20 s, scaled down with the rest (2 s at the least).
/// </summary>
public sealed record BenchSizes(int WarmupBatches, int Batches, int SinglePerWriter, int CatchUpEvents,
    double LagSeconds)
{
    public static BenchSizes FromEnvironment()
    {
        var scale = Number("DCASSETS_BENCH_SCALE", 1);
        var events = Number("DCASSETS_BENCH_EVENTS", 300_000);
        int Scaled(double n) => Math.Max(1, (int)Math.Round(n * scale));
        // 20 + 150 batches and 500 saves per writer per round: the earlier store's sizes, so the figures compare.
        return new BenchSizes(Scaled(20), Scaled(150), Scaled(500), Scaled(events),
            Math.Max(2, 20 * Math.Min(1, scale)));
    }

    private static double Number(string name, double fallback)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (double.TryParse(text, CultureInfo.InvariantCulture, out var n) && n > 0) return n;
        throw new ArgumentException($"{name}={text} is not a positive number");
    }
}
