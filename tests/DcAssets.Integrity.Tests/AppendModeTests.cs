using DcAssets.Integrity.Tests.Infrastructure;
using DcAssets.Testing;
using JasperFx.Events;
using Marten;

namespace DcAssets.Integrity.Tests;

public sealed class AppendModeTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Quick_append_is_the_default_and_every_event_it_writes_is_chained()
    {
        await using var store = await TestStores.CreateAsync(db);
        store.Options.Events.AppendMode.Should().Be(EventAppendMode.QuickWithServerTimestamps);
        await using (var s = TestStores.Session(store))
        {
            s.Events.StartStream("quick-1", new ThingMoved("R1", 1.5m), new ThingMoved("R2", 0.0000001m));
            await s.SaveChangesAsync();
        }
        await using (var s = TestStores.Session(store, "u-7"))
        {
            s.Events.Append("quick-1", new ThingNamed("rack \"A\" — ünïcode\n"));
            await s.SaveChangesAsync();
        }

        (await db.ScalarAsync<long>("select count(*) from mt_integrity_hashes where stream_id = 'quick-1'"))
            .Should().Be(3);
        (await new HistoryVerifier(store, TestStores.Key).VerifyAsync()).Problems.Should().BeEmpty();
    }

    [Fact]
    public async Task A_bulk_save_of_a_thousand_events_across_a_hundred_streams_is_chained()
    {
        await using var store = await TestStores.CreateAsync(db);
        await using (var s = TestStores.Session(store))
        {
            for (var i = 0; i < 1000; i++) s.Events.Append($"bulk-{i % 100}", new ThingMoved($"R{i}", i));
            await s.SaveChangesAsync();
        }

        (await db.ScalarAsync<long>("select count(*) from mt_integrity_hashes where stream_id like 'bulk-%'"))
            .Should().Be(1000);
        (await new HistoryVerifier(store, TestStores.Key).VerifyAsync()).Problems.Should().BeEmpty();
    }

    [Fact]
    public async Task Rich_append_mode_is_chained_too()
    {
        await using var store = TestStores.OptionsOnly(db, configure: o => o.Events.AppendMode = EventAppendMode.Rich);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using (var s = TestStores.Session(store))
        {
            s.Events.StartStream("rich-1", new ThingMoved("R1", 1), new ThingMoved("R2", 2));
            await s.SaveChangesAsync();
        }
        await using (var s = TestStores.Session(store))
        {
            s.Events.Append("rich-1", new ThingNamed("x"));
            await s.SaveChangesAsync();
        }

        (await db.ScalarAsync<long>("select count(*) from mt_integrity_hashes where stream_id = 'rich-1'"))
            .Should().Be(3);
        (await new HistoryVerifier(store, TestStores.Key).VerifyAsync()).Problems.Should().BeEmpty();
    }
}
