using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Integrity;

namespace DcAssets.EventStore.Tests.Infrastructure;

/// <summary>
/// A history sealed to its end by a real daemon run, built once per test class and cloned for each
/// test that spoils it: 303 events over 7 streams, with three burnt positions in the middle (a
/// rolled-back save) and a stream, audit-early, that has events only before them.
/// </summary>
public abstract class SealedHistory(SealingOptions key) : IAsyncLifetime
{
    public const int Events = 303;
    private readonly TestDatabase _template = new();

    public SealingOptions Key { get; } = key;

    /// <summary>The first of the burnt positions, inside a sealed range.</summary>
    public long Burnt { get; private set; }

    public async Task InitializeAsync()
    {
        await _template.InitializeAsync();
        var options = TestStores.Options(_template.ConnectionString);
        options.Sealing = Key with { Every = TimeSpan.FromMilliseconds(100) };
        await using var store = await EventStore.CreateAsync(options);
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("audit-early", new ThingMoved("E", 1), new ThingMoved("E", 2), new ThingMoved("E", 3));
            await s.SaveChangesAsync();
        }
        for (var save = 0; save < 30; save++)
        {
            if (save == 14)
                Burnt = await _template.ScalarAsync<long>("select min(n) from (select nextval('dcassets.events_seq_seq') as n from generate_series(1, 3)) b");
            await using var s = store.OpenSession(TestStores.Engineer);
            for (var i = 0; i < 10; i++) s.Events.Append($"audit-{(save + i) % 6}", new ThingMoved($"R{save}", i));
            await s.SaveChangesAsync();
        }
        await using (var daemon = new ProjectionDaemon(store, ProjectionDaemon.DefaultConsumers(store),
                         new DaemonOptions { PollInterval = TimeSpan.FromMilliseconds(100), LeaseInterval = TimeSpan.FromMilliseconds(100) }))
        {
            await daemon.StartAsync();
            await Wait.UntilAsync(async () => await _template.ScalarAsync<bool>(
                "select coalesce((select max(up_to_seq) from dcassets.seals), 0) = (select max(seq) from dcassets.events)"), TimeSpan.FromSeconds(60), "all sealed");
        }
    }

    /// <summary>A fresh copy of the sealed history; the caller disposes it.</summary>
    public Task<TestDatabase> CopyAsync() => _template.CloneAsync();

    public Task DisposeAsync() => _template.DisposeAsync();
}
