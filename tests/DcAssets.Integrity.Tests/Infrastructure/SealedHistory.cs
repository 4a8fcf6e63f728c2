using DcAssets.Testing;
using Marten;

namespace DcAssets.Integrity.Tests.Infrastructure;

/// <summary>
/// A history sealed to its end, built once per test class and copied for each test that spoils it: 303 events
/// over 7 streams in three seals, with three burnt sequence numbers inside seal #2 and a stream, "early",
/// whose events all come before them.
/// </summary>
public sealed class SealedHistory : IAsyncLifetime
{
    private readonly TestDatabase _template = new();

    /// <summary>The first of the burnt sequence numbers.</summary>
    public long Burnt { get; private set; }

    public async Task InitializeAsync()
    {
        await _template.InitializeAsync();
        await using (var store = await TestStores.CreateAsync(_template))
        {
            var sealer = new Sealer(store, TestStores.Key);
            await using (var s = TestStores.Session(store))
            {
                s.Events.StartStream("early", new ThingMoved("E", 1), new ThingMoved("E", 2), new ThingMoved("E", 3));
                await s.SaveChangesAsync();
            }
            for (var save = 0; save < 30; save++)
            {
                if (save == 14)
                    Burnt = await _template.ScalarAsync<long>(
                        "select min(n) from (select nextval('mt_events_sequence') n from generate_series(1, 3)) b");
                await using (var s = TestStores.Session(store, $"u-{save}"))
                {
                    for (var i = 0; i < 10; i++) s.Events.Append($"s-{(save + i) % 6}", new ThingMoved($"R{save}", i));
                    await s.SaveChangesAsync();
                }
                if (save % 10 != 9) continue;
                await HighWater.CatchUpAsync(store, _template);
                (await sealer.SealAsync()).Should().NotBeNull();
            }
        }
        NpgsqlPools.Clear();
    }

    /// <summary>A fresh copy of the sealed history; the caller disposes it.</summary>
    public Task<TestDatabase> CopyAsync() => _template.CloneAsync();

    public Task DisposeAsync() => _template.DisposeAsync();
}

internal static class NpgsqlPools
{
    public static void Clear() => Npgsql.NpgsqlConnection.ClearAllPools();
}
