using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using DcAssets.Assets.Places;
using DcAssets.Identity;
using Marten;

namespace DcAssets.Benchmarks.Start;

/// <summary>
/// start: seconds from starting the web host's process (Release build, as deployed: daemon and poller on) to
/// its first successful API write, a registered asset. The median of five starts on a database whose schema,
/// room and engineer exist already. Baseline: the target, 3 s (like daemon.lag, the figure is a time).
/// </summary>
public sealed class ColdStartBenchmark : IBenchmark
{
    public string Group => "start";

    private const int Rounds = 5;
    private const double TargetSeconds = 3;

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        await using var db = await BenchDatabase.CreateAsync(context.ConnectionString, "start");
        string token;
        await using (var store = await ProductStore.CreateAsync(db.ConnectionString, configure: null, ct))
            token = await PrepareAsync(store, db.ConnectionString, ct);
        var web = Path.Combine(context.RepoRoot, "src", "DcAssets.Web");
        var dll = Path.Combine(web, "bin", "Release", "net10.0", "DcAssets.Web.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: ops/bench builds it in Release");

        var seconds = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            var port = FreePort();
            var psi = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
            {
                WorkingDirectory = web, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            psi.Environment["DCASSETS_DB"] = db.ConnectionString;
            psi.Environment["Telemetry__TrapPort"] = "0";
            var sw = Stopwatch.StartNew();
            using var host = Process.Start(psi)!;
            host.OutputDataReceived += (_, _) => { };
            host.ErrorDataReceived += (_, _) => { };
            host.BeginOutputReadLine();
            host.BeginErrorReadLine();
            try
            {
                await FirstWriteAsync(port, token, $"START-{round}", host, ct);
                seconds.Add(sw.Elapsed.TotalSeconds);
                BenchContext.Note($"   start {round + 1}: first write after {sw.Elapsed.TotalSeconds:0.000}s");
            }
            finally
            {
                host.Kill(true);
                await host.WaitForExitAsync(ct);
            }
        }
        seconds.Sort();
        context.Report("start", seconds[Rounds / 2], TargetSeconds, "s");
    }

    /// <summary>Registers one asset as soon as the host answers; refused connections are the wait.</summary>
    private static async Task FirstWriteAsync(int port, string token, string tag, Process host, CancellationToken ct)
    {
        using var http = new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var until = Stopwatch.StartNew();
        while (until.Elapsed < TimeSpan.FromMinutes(1))
        {
            if (host.HasExited)
                throw new InvalidOperationException($"the host exited with {host.ExitCode} before answering");
            try
            {
                var asset = new { tag, category = "server", room = "R01" };
                using var r = await http.PostAsJsonAsync("/api/v1/assets", asset, ct);
                if (r.StatusCode == HttpStatusCode.Created) return;
                var body = await r.Content.ReadAsStringAsync(ct);
                throw new InvalidOperationException($"the first write answered {(int)r.StatusCode}: {body}");
            }
            catch (HttpRequestException) { await Task.Delay(10, ct); }
        }
        throw new TimeoutException("the host did not answer within a minute");
    }

    private static async Task<string> PrepareAsync(IDocumentStore store, string connectionString,
        CancellationToken ct)
    {
        var actor = new Actor("bench", "bench", Roles.Admin, EventSources.Import);
        await using (var s = store.OpenSession(actor))
        {
            s.Events.StartStream(Place.StreamId(PlaceKind.Site, "HQ"), new SiteAdded("HQ", "HQ"));
            s.Events.StartStream(Place.StreamId(PlaceKind.Room, "R01"), new RoomAdded("R01", "Room 1", "HQ"));
            await s.SaveChangesAsync(ct);
        }
        return await BenchPerson.TokenAsync(connectionString, "starter", Roles.Engineer, ct);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
