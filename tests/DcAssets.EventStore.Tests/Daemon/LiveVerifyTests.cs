using System.Text;
using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Integrity;
using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests.Daemon;

public sealed class LiveVerifyTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Verify_during_appends_and_sealing_finds_the_history_intact()
    {
        var key = new SealingOptions(Encoding.UTF8.GetBytes("the live verify test's seal key, long enough")) { EveryEvents = 50, Every = TimeSpan.FromMilliseconds(50) };
        var options = TestStores.Options(db.ConnectionString);
        options.Sealing = key;
        await using var store = await EventStore.CreateAsync(options);
        await using var daemon = new ProjectionDaemon(store, ProjectionDaemon.DefaultConsumers(store),
            new DaemonOptions { BatchSize = 100, PollInterval = TimeSpan.FromMilliseconds(50), LeaseInterval = TimeSpan.FromMilliseconds(100) });
        await daemon.StartAsync();

        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var rng = new Random(w);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await using var s = store.OpenSession(TestStores.Engineer);
                // Single-event saves, multi-stream saves and now and then a bulk one: every append path.
                var n = i % 25 == 0 ? 120 : 1 + rng.Next(8);
                for (var k = 0; k < n; k++) s.Events.Append($"live-{w}-{rng.Next(5)}", new Counted(w, i));
                await s.SaveChangesAsync();
            }
        })).ToList();

        await Wait.UntilAsync(async () => await db.ScalarAsync<long>("select count(*) from dcassets.seals") >= 3, TimeSpan.FromSeconds(60), "seals exist");
        var runs = new List<VerifyReport>();
        for (var run = 0; run < 6; run++)
        {
            var report = await new HistoryVerifier(store, key).VerifyAsync(fromPosition: run % 2 == 0 ? 0 : 100);
            report.Problems.Should().BeEmpty($"nothing was tampered with; run {run} saw {report.EventsChecked} events");
            runs.Add(report);
        }
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        runs.Where((_, i) => i % 2 == 0).Select(r => r.EventsChecked).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems("appends went on during the runs");
        runs.Sum(r => r.SealsChecked).Should().BeGreaterThan(0);
    }
}
