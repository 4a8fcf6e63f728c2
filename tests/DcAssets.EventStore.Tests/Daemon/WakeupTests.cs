using System.Diagnostics;
using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests.Daemon;

public sealed class WakeupTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task An_append_wakes_an_idle_daemon_through_notify_long_before_its_poll()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await SeenLog.CreateAsync(store, "wake");
        await using var daemon = new ProjectionDaemon(store, [new SeenLog("wake")],
            new DaemonOptions { PollInterval = TimeSpan.FromSeconds(30), LeaseInterval = TimeSpan.FromMilliseconds(100) });
        await daemon.StartAsync();
        await Wait.UntilAsync(() => Task.FromResult(daemon.Running.Count == 1), TimeSpan.FromSeconds(10), "the runner started");
        await Task.Delay(500); // idle, waiting on its 30 s poll

        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            await using (var s = store.OpenSession(TestStores.Engineer))
            {
                s.Events.Append("wake-1", new ThingMoved("R", i));
                await s.SaveChangesAsync();
            }
            await Wait.UntilCaughtUpAsync(db, "wake", TimeSpan.FromSeconds(25));
            // Far below the 30 s poll, with room for a machine busy with the other test classes.
            sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "a notification, not the 30 s poll, woke the runner");
            await Task.Delay(200);
        }
    }
}
