using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace DcAssets.Benchmarks;

/// <summary>A benchmark group, run by <c>ops/bench GROUP</c>. Found by reflection: adding one is adding a file.
/// </summary>
public interface IBenchmark
{
    /// <summary>The name given to ops/bench (append, daemon, api, poll, snmp, start, web).</summary>
    string Group { get; }
    Task RunAsync(BenchContext context, CancellationToken ct);
}

public sealed class BenchContext
{
    public required string ConnectionString { get; init; }
    public required string RepoRoot { get; init; }

    /// <summary>Prints the one line every figure is reported in, ours beside the baseline of the same run.</summary>
    public void Report(string name, double ours, double baseline, string unit) =>
        Print(name, ours, baseline, unit, baseline == 0 ? double.NaN : ours / baseline);

    /// <summary>
    /// A time (lower is better) whose target is stated as for a rate, "ratio ≥ x": the ratio printed is
    /// baseline/ours, so higher is better as for the rates, and the unit says so, since the other times
    /// (daemon.lag, start, snmp.walk) print ours/baseline against a target of ratio ≤ 1.
    /// </summary>
    public void ReportTime(string name, double ours, double baseline, string unit) =>
        Print(name, ours, baseline, $"{unit}(ratio:baseline/ours)", ours == 0 ? double.NaN : baseline / ours);

    private static void Print(string name, double ours, double baseline, string unit, double ratio) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"BENCH {name} ours={ours:0.###} baseline={baseline:0.###} unit={unit} ratio={ratio:0.###}"));

    public static void Note(string text) => Console.Error.WriteLine(text);
}

public static class BenchmarkRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var all = typeof(BenchmarkRunner).Assembly.GetTypes()
            .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
            .OrderBy(b => b.Group, StringComparer.Ordinal)
            .ToList();
        if (args is ["--list"])
        {
            foreach (var b in all) Console.WriteLine(b.Group);
            return 0;
        }
        var unknown = args.Where(a => all.All(b => b.Group != a)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"unknown benchmark(s): {string.Join(", ", unknown)}; "
                + $"known: {string.Join(", ", all.Select(b => b.Group))}");
            return 2;
        }
        var cs = Environment.GetEnvironmentVariable("DCASSETS_DB");
        if (string.IsNullOrWhiteSpace(cs))
        {
            Console.Error.WriteLine("DCASSETS_DB is not set (run through ops/bench)");
            return 2;
        }
        var context = new BenchContext { ConnectionString = cs, RepoRoot = FindRoot() };
        foreach (var bench in all.Where(b => args.Length == 0 || args.Contains(b.Group)))
        {
            var sw = Stopwatch.StartNew();
            BenchContext.Note($"-- {bench.Group}");
            await bench.RunAsync(context, CancellationToken.None);
            BenchContext.Note($"-- {bench.Group} took {sw.Elapsed.TotalSeconds:0.0}s");
        }
        return 0;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DcAssets.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
