using System.Diagnostics;
using System.Net;
using DcAssets.Snmp;

namespace DcAssets.Benchmarks.Snmp;

/// <summary>
/// snmp.walk: bulk-walk of the simulator's 10,000-row table, ours vs net-snmp's snmpbulkwalk (minus
/// its start-up, measured as a walk of an empty subtree). snmp.poll: GETs/s with 64 in flight vs one
/// at a time. Both against a real snmpd started here through ops/snmp-sim.
/// </summary>
public sealed class SnmpBenchmarks : IBenchmark
{
    private const string Table = "1.3.6.1.4.1.8072.9999.10";
    private const string Empty = "1.3.6.1.4.1.8072.9999.11";
    private const int MaxRepetitions = 50;
    private const int Rounds = 15;

    public string Group => "snmp";

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), "dcassets-bench-snmp-" + Environment.ProcessId);
        var start = await RunAsync(Path.Combine(context.RepoRoot, "ops/snmp-sim/start"), ["--dir", dir, "--profiles", "table"], ct);
        if (start.Code != 0) throw new InvalidOperationException("ops/snmp-sim/start failed: " + start.Err);
        var port = int.Parse(start.Out.Trim().Split('\n')[^1]);
        try
        {
            var target = new SnmpTarget(new IPEndPoint(IPAddress.Loopback, port)) { Timeout = TimeSpan.FromSeconds(5), Retries = 3 };
            await WalkAsync(context, target, port, ct);
            await PollAsync(context, target, ct);
        }
        finally
        {
            await RunAsync(Path.Combine(context.RepoRoot, "ops/snmp-sim/stop"), ["--dir", dir], CancellationToken.None);
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    private static async Task WalkAsync(BenchContext context, SnmpTarget target, int port, CancellationToken ct)
    {
        await using var client = new SnmpClient();
        string[] Args(string root) => ["-v2c", "-c", "public", "-On", $"-Cr{MaxRepetitions}", $"udp:127.0.0.1:{port}", root];
        var ours = new List<double>(); var theirs = new List<double>(); var empty = new List<double>();
        for (var round = 0; round <= Rounds; round++)
        {
            // Interleaved in the same run so both see the same machine load, and the order alternates
            // so neither side always runs right after the other; round 0 is warm-up.
            double t1 = 0, t2 = 0;
            for (var side = 0; side < 2; side++)
            {
                if ((side + round) % 2 == 0)
                {
                    var sw = Stopwatch.StartNew();
                    var rows = 0;
                    await foreach (var _ in client.WalkAsync(target, Oid.Parse(Table), MaxRepetitions, ct)) rows++;
                    t1 = sw.Elapsed.TotalSeconds;
                    if (rows != 10_000) throw new InvalidOperationException($"walk returned {rows} rows");
                }
                else
                {
                    var sw = Stopwatch.StartNew();
                    var r = await RunAsync("snmpbulkwalk", Args(Table), ct);
                    t2 = sw.Elapsed.TotalSeconds;
                    if (r.Code != 0 || r.Out.Count(c => c == '\n') != 10_000) throw new InvalidOperationException("snmpbulkwalk failed: " + r.Err);
                }
            }
            var swEmpty = Stopwatch.StartNew();
            var e = await RunAsync("snmpbulkwalk", Args(Empty), ct);
            var t3 = swEmpty.Elapsed.TotalSeconds;
            // The subtraction is only honest if this run did the start-up and one round trip, nothing else:
            // a failing tool (missing, refused, timing out) would make the baseline look cheap.
            var lines = e.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            if (e.Code != 0 || lines > 1)
                throw new InvalidOperationException($"snmpbulkwalk of the empty subtree {Empty} must exit 0 with at most one line; exit {e.Code}, {lines} line(s): {e.Err}{e.Out}");
            if (round == 0) continue;
            ours.Add(t1); theirs.Add(t2); empty.Add(t3);
        }
        // Both walks wait on the agent's pass_persist pipe, whose speed on this VM drifts by 2x within a
        // run: medians over many interleaved rounds, each round's own ratio printed beside them.
        var ratios = ours.Select((t, i) => t / (theirs[i] - empty[i])).Order().ToList();
        var baseline = Median(theirs) - Median(empty);
        BenchContext.Note($"snmp.walk: ours {Median(ours):0.000}s, snmpbulkwalk {Median(theirs):0.000}s, its start-up {Median(empty):0.000}s " +
                          $"(medians of {Rounds} rounds); round ratios {string.Join(" ", ratios.Select(r => r.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}");
        context.Report("snmp.walk", Median(ours), baseline, "s");
    }

    private static async Task PollAsync(BenchContext context, SnmpTarget target, CancellationToken ct)
    {
        await using var client = new SnmpClient();
        Oid[] oids = [Oid.Parse("1.3.6.1.2.1.1.5.0"), Oid.Parse("1.3.6.1.2.1.1.4.0"), Oid.Parse("1.3.6.1.2.1.1.6.0"), Oid.Parse("1.3.6.1.2.1.1.1.0")];
        const int gets = 5_000;
        const int inFlight = 64;
        await SerialAsync(client, target, oids, 1_000, ct); // warm-up: JIT, caches
        await ParallelAsync(client, target, oids, 1_000, inFlight, ct);
        var serial = new List<double>(); var parallel = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            // Alternating short phases, so a change in machine load hits both sides alike.
            var sw = Stopwatch.StartNew();
            await SerialAsync(client, target, oids, gets, ct);
            serial.Add(gets / sw.Elapsed.TotalSeconds);
            sw.Restart();
            await ParallelAsync(client, target, oids, gets, inFlight, ct);
            parallel.Add(gets / sw.Elapsed.TotalSeconds);
        }
        BenchContext.Note($"snmp.poll: {Median(parallel):0} GET/s with {inFlight} in flight, {Median(serial):0} GET/s one at a time (median of {Rounds} rounds of {gets} GETs)");
        context.Report("snmp.poll", Median(parallel), Median(serial), "GET/s");
    }

    private static async Task ParallelAsync(SnmpClient client, SnmpTarget target, Oid[] oids, int n, int inFlight, CancellationToken ct)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < n)
                await client.GetAsync(target, [oids[i % oids.Length]], ct);
        }));
    }

    private static async Task SerialAsync(SnmpClient client, SnmpTarget target, Oid[] oids, int n, CancellationToken ct)
    {
        for (var i = 0; i < n; i++) await client.GetAsync(target, [oids[i % oids.Length]], ct);
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string file, string[] args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["MIBS"] = "";
        psi.Environment["SNMP_PERSISTENT_DIR"] = Path.Combine(Path.GetTempPath(), "dcassets-netsnmp-tools");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return (p.ExitCode, await stdout, await stderr);
    }
}
