using System.Diagnostics;
using System.Net.Http.Headers;
using DcAssets.Assets;
using DcAssets.Assets.Places;
using DcAssets.Identity;
using Marten;

namespace DcAssets.Benchmarks.Api;

/// <summary>
/// api.inventory: 50,000 assets registered through the domain, then 32 concurrent clients ask the real
/// host (Kestrel, bearer token, inline read model) for a filtered, paged inventory page. Baseline: a
/// constant JSON endpoint of the same response size in the same host.
/// </summary>
public sealed class InventoryApiBenchmark : IBenchmark
{
    public string Group => "api";

    private const int Assets = 50_000, Clients = 32, Rounds = 5;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);
    private const string Query = "/api/v1/inventory?category=server&room=R03&page=2&pageSize=50";

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        await using var db = await BenchDatabase.CreateAsync(context.ConnectionString, "api");
        string token;
        await using (var store = await ProductStore.CreateAsync(db.ConnectionString, configure: null, ct))
            token = await LoadAsync(store, db.ConnectionString, ct);
        // A register loaded a moment ago is vacuumed by autovacuum soon after; here at once, so it does
        // not run in the middle of one side's measurement.
        await db.ExecAsync("vacuum analyze");

        await using var host = await BenchHost.StartAsync(context, db.ConnectionString, commands: false,
            configure: null, ct);

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients })
            { BaseAddress = host.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var sample = await http.GetStringAsync(Query, ct);
        if (!sample.Contains("\"items\":[{"))
            throw new InvalidOperationException(
                $"the inventory query returned no page: {sample[..Math.Min(200, sample.Length)]}");
        host.Answer($"{{\"pad\":\"{new string('x', sample.Length - 12)}\"}}", "application/json");
        BenchContext.Note($"response {sample.Length} bytes; warming up");
        await Measure(http, Query, TimeSpan.FromSeconds(2), ct);
        await Measure(http, BenchHost.ConstantPath, TimeSpan.FromSeconds(2), ct);

        // Short turns, alternating, so both sides see the same machine.
        double ours = 0, baseline = 0;
        for (var round = 0; round < Rounds; round++)
        {
            ours += await Measure(http, Query, Duration / Rounds, ct) / Rounds;
            baseline += await Measure(http, BenchHost.ConstantPath, Duration / Rounds, ct) / Rounds;
        }
        context.Report("api.inventory", ours, baseline, "req/s");
    }

    private static async Task<double> Measure(HttpClient http, string path, TimeSpan duration, CancellationToken ct)
    {
        long done = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            while (sw.Elapsed < duration)
            {
                using var r = await http.GetAsync(path, ct);
                r.EnsureSuccessStatusCode();
                await r.Content.ReadAsByteArrayAsync(ct);
                Interlocked.Increment(ref done);
            }
        }));
        return done / sw.Elapsed.TotalSeconds;
    }

    // 10 rooms × 10 racks of 42 U, 50,000 assets of every category (a fifth racked), and a manager's token.
    private static async Task<string> LoadAsync(IDocumentStore store, string connectionString, CancellationToken ct)
    {
        var actor = new Actor("bench", "bench", Roles.Admin, EventSources.Import);
        var sw = Stopwatch.StartNew();
        await using (var s = store.OpenSession(actor))
        {
            s.Events.StartStream(Place.StreamId(PlaceKind.Site, "HQ"), new SiteAdded("HQ", "HQ"));
            for (var room = 1; room <= 10; room++)
            {
                s.Events.StartStream(Place.StreamId(PlaceKind.Room, $"R{room:00}"),
                    new RoomAdded($"R{room:00}", $"Room {room}", "HQ"));
                for (var rack = 1; rack <= 10; rack++)
                    s.Events.StartStream(Place.StreamId(PlaceKind.Rack, $"R{room:00}-K{rack:00}"),
                        new RackAdded($"R{room:00}-K{rack:00}", "rack", $"R{room:00}", 42, null, rack, 5000));
            }
            await s.SaveChangesAsync(ct);
        }
        var categories = Enum.GetValues<AssetCategory>();
        for (var batch = 0; batch < Assets / 5000; batch++)
        {
            await using var s = store.OpenSession(actor);
            for (var i = batch * 5000; i < (batch + 1) * 5000; i++)
            {
                var room = $"R{i % 10 + 1:00}";
                var racked = i % 5 == 0;
                var location = racked
                    ? new Location(room, $"{room}-K{i / 10 % 10 + 1:00}", i / 100 % 42 + 1)
                    : new Location(room);
                var e = new AssetRegistered($"A{i:000000}",
                    new AssetDetails(categories[i % categories.Length], "Make", $"Model {i % 37}", $"SN{i}", 1, null,
                        "IT"),
                    location, AssetStatus.InService, new DateOnly(2027, 1, 1).AddDays(i % 700), null);
                s.Events.StartStream(AssetVocabulary.StreamId(e.Tag), e);
            }
            await s.SaveChangesAsync(ct);
        }
        BenchContext.Note($"{Assets} assets loaded in {sw.Elapsed.TotalSeconds:0.0}s");
        return await BenchPerson.TokenAsync(connectionString, "reader", Roles.Manager, ct);
    }
}
