using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace DcAssets.Benchmarks.Web;

/// <summary>
/// web.pages: the ten most used server-rendered pages of the web host, loaded by 16 engineers at once, each signed
/// in through the login form (a cookie session of their own) and loading the pages one after another, each starting
/// at another page. The figure is the p95 of the host's server time over all ten pages (<see cref="BenchHost"/>
/// times each request from its first middleware until the response is written). Baseline: the host's constant
/// page, the mean size of the ten, asked by the same engineers with the same cookies, so it takes the same pipeline
/// and session check: the difference is what the pages' queries and rendering add. The sides take turns, round by
/// round. Lower is better for a time, and the target is "ratio ≥ 0.3", so the ratio printed is baseline/ours
/// (<see cref="BenchContext.ReportTime"/>). web.pages.rate: pages per second of either side, for the record.
/// </summary>
public sealed class WebPagesBenchmark : IBenchmark
{
    public string Group => "web";

    private const int Engineers = 16, Rounds = 5;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10); // per side, over all rounds

    /// <summary>The pages, each with a text it shows only when its read models hold the seeded register.</summary>
    private static readonly (string Path, string Shows)[] Pages =
    [
        ("/", "UPS0000"),
        ("/alarms", "UPS0002"),
        ("/telemetry", "UPS0019"),
        ("/inventory", "FW-00008"),
        ("/inventory?q=SRV&page=2", "SRV-"),
        ("/racks", MachineRooms.RackCode(MachineRooms.Racks - 1)),
        ($"/racks/{MachineRooms.ShownRack}", MachineRooms.ShownAsset),
        ($"/assets/{MachineRooms.ShownAsset}", MachineRooms.ShownNote),
        ("/alarms/history", "UPS0005"),
        ("/assets/register", MachineRooms.ShownRack),
    ];

    private sealed record Turn(ConcurrentQueue<(string Path, double Ms)> Server, int Requests, TimeSpan Elapsed);

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        await using var db = await BenchDatabase.CreateAsync(context.ConnectionString, "web");
        await using (var store = await ProductStore.CreateAsync(db.ConnectionString, configure: null, ct))
            await MachineRooms.LoadAsync(store, Engineers, ct);
        await db.ExecAsync("vacuum analyze"); // as api: not in the middle of one side's turn
        // Kept: Wolverine's runtime, since the login form signs in through a command. 16 sign-ins from one address
        // within a second would exceed the form's limit (Login:AttemptsPerMinute, 10 per address).
        await using var host = await BenchHost.StartAsync(context, db.ConnectionString, commands: true,
            b => b.Configuration["Login:AttemptsPerMinute"] = "1000", ct);
        var engineers = new List<HttpClient>();
        try
        {
            for (var n = 1; n <= Engineers; n++)
                engineers.Add(await SignInAsync(host.Url, MachineRooms.Engineer(n), ct));
            long bytes = 0;
            foreach (var (path, shows) in Pages)
            {
                var page = await engineers[0].GetByteArrayAsync(path, ct);
                if (!Encoding.UTF8.GetString(page).Contains(shows, StringComparison.Ordinal))
                    throw new InvalidOperationException($"{path} does not show '{shows}': the register is not in it");
                bytes += page.Length;
            }
            host.Answer(new string('x', (int)(bytes / Pages.Length)), "text/html; charset=utf-8");
            BenchContext.Note($"pages {bytes / Pages.Length} bytes on average; warming up");
            Func<int, string> oursPage = n => Pages[n % Pages.Length].Path, constant = _ => BenchHost.ConstantPath;
            await TurnAsync(host, engineers, oursPage, TimeSpan.FromSeconds(2), ct);
            await TurnAsync(host, engineers, constant, TimeSpan.FromSeconds(2), ct);

            // Short turns, the side going first alternating, so both sides see the same machine.
            List<Turn> ours = [], baseline = [];
            for (var round = 0; round < Rounds; round++)
            {
                if (round % 2 == 1) baseline.Add(await TurnAsync(host, engineers, constant, Duration / Rounds, ct));
                ours.Add(await TurnAsync(host, engineers, oursPage, Duration / Rounds, ct));
                if (round % 2 == 0) baseline.Add(await TurnAsync(host, engineers, constant, Duration / Rounds, ct));
            }
            await Task.Delay(100, ct); // the last requests' server times are recorded just after their answers
            foreach (var page in ours.SelectMany(t => t.Server).GroupBy(t => t.Path).OrderBy(g => g.Key))
                BenchContext.Note($"   {page.Key}: p95 {P95(page.Select(t => t.Ms)):0.0} ms over {page.Count()}");
            context.ReportTime("web.pages", P95(ours.SelectMany(t => t.Server).Select(t => t.Ms)),
                P95(baseline.SelectMany(t => t.Server).Select(t => t.Ms)), "ms-p95");
            context.Report("web.pages.rate", Rate(ours), Rate(baseline), "req/s");
        }
        finally
        {
            foreach (var engineer in engineers) engineer.Dispose();
        }
    }

    /// <summary>
    /// An engineer's browser: a cookie session of their own, signed in through the login form with the form's
    /// antiforgery token, as a browser does. One connection, since one person loads one page at a time; redirects
    /// are not followed, so a lost session (a redirect to /login) fails the run rather than timing the login page.
    /// </summary>
    private static async Task<HttpClient> SignInAsync(Uri url, string name, CancellationToken ct)
    {
        var browser = new HttpClient(new SocketsHttpHandler
            { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, MaxConnectionsPerServer = 1 })
            { BaseAddress = url };
        var form = await browser.GetStringAsync("/login", ct);
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")
            .Groups[1].Value;
        using var signedIn = await browser.PostAsync("/login", new FormUrlEncodedContent(
        [
            new("Name", name), new("Password", MachineRooms.Password), new("__RequestVerificationToken", token),
        ]), ct);
        if (signedIn.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"{name} could not sign in: {(int)signedIn.StatusCode}");
        return browser;
    }

    /// <summary>One side's turn: every engineer loads page(n), page(n + 1), … until the time is up.</summary>
    private static async Task<Turn> TurnAsync(BenchHost host, IReadOnlyList<HttpClient> engineers,
        Func<int, string> page, TimeSpan duration, CancellationToken ct)
    {
        var requests = 0;
        host.StartTiming();
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(engineers.Select(async (browser, e) =>
        {
            for (var n = e; sw.Elapsed < duration; n++)
            {
                using var r = await browser.GetAsync(page(n), ct);
                if (r.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"{page(n)} answered {(int)r.StatusCode}");
                await r.Content.ReadAsByteArrayAsync(ct);
                Interlocked.Increment(ref requests);
            }
        }));
        var elapsed = sw.Elapsed;
        return new Turn(host.StopTiming(), requests, elapsed);
    }

    /// <summary>The 95th percentile, by nearest rank.</summary>
    private static double P95(IEnumerable<double> ms)
    {
        var sorted = ms.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[(int)Math.Ceiling(0.95 * sorted.Count) - 1];
    }

    private static double Rate(List<Turn> turns) =>
        turns.Sum(t => t.Requests) / turns.Sum(t => t.Elapsed.TotalSeconds);
}
