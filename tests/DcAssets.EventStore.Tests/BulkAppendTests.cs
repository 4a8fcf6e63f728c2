using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests;

/// <summary>Saves of 100+ events take the COPY path; it must keep every promise the statement path keeps.</summary>
public sealed class BulkAppendTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_bulk_save_extends_existing_and_new_streams_with_intact_chains()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString, withProjection: true);
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("bulk-0", new ThingRegistered("B-0", "R1"));
            await s.SaveChangesAsync();
        }
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            for (var i = 0; i < 150; i++) s.Events.Append($"bulk-{i % 10}", new ThingMoved($"R{i}", i));
            s.Events.Append("bulk-0", expectedVersion: 1 + 15, new ThingMoved("R-last", 999));
            var result = await s.SaveChangesAsync();
            result.Events.Should().HaveCount(151);
            result.Events.Select(e => e.Position).Should().OnlyHaveUniqueItems();
        }
        (await ChainCheck.AssertStreamAsync(store, "bulk-0")).Should().Be(17);
        (await ChainCheck.AssertStreamAsync(store, "bulk-3")).Should().Be(15);
        (await store.QuerySession().LoadAsync<ThingRow>("bulk-0"))!.Room.Should().Be("R-last");
    }

    [Fact]
    public async Task A_bulk_save_with_a_stale_version_writes_nothing_and_burns_no_position()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("stale-x", new ThingRegistered("S", "R1"));
            await s.SaveChangesAsync();
        }
        var before = await db.ScalarAsync<long>("select coalesce(max(seq), 0) from dcassets.events");
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            for (var i = 0; i < 120; i++) s.Events.Append($"stale-{i % 4}", new ThingMoved("R", i));
            s.Events.Append("stale-x", expectedVersion: 7, new ThingMoved("R", 0));
            var ex = (await s.Invoking(x => x.SaveChangesAsync()).Should().ThrowAsync<ConcurrencyException>()).Which;
            (ex.StreamId, ex.ExpectedVersion, ex.ActualVersion).Should().Be(("stale-x", 7L, 1L));
        }
        (await db.ScalarAsync<long>("select count(*) from dcassets.events where stream_id like 'stale-%'")).Should().Be(1);
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.Append("stale-next", new ThingMoved("R", 1));
            (await s.SaveChangesAsync()).Events.Single().Position.Should().Be(before + 1, "the refused bulk save took no position");
        }
    }

    [Fact]
    public async Task Concurrent_bulk_writers_on_overlapping_streams_interleave_without_gaps()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            for (var round = 0; round < 5; round++)
            {
                await using var s = store.OpenSession(TestStores.Engineer);
                for (var i = 0; i < 100; i++) s.Events.Append($"shared-{(i + w) % 8}", new Counted(w, i));
                await s.SaveChangesAsync();
            }
        })));
        var total = 0;
        for (var i = 0; i < 8; i++) total += await ChainCheck.AssertStreamAsync(store, $"shared-{i}");
        total.Should().Be(6 * 5 * 100);
    }

    [Fact]
    public async Task Bulk_writers_racing_to_create_the_same_streams_all_land_and_burn_no_position()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        var before = await db.ScalarAsync<long>("select coalesce(max(seq), 0) from dcassets.events");
        const int writers = 6, rounds = 8, perSave = 100;
        for (var round = 0; round < rounds; round++)
        {
            // Every writer creates the same fresh streams at the same moment.
            using var start = new Barrier(writers);
            await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                await using var s = store.OpenSession(TestStores.Engineer);
                for (var i = 0; i < perSave; i++) s.Events.Append($"race-{round}-{i % 5}", new Counted(w, i));
                start.SignalAndWait();
                await s.SaveChangesAsync();
            })));
        }
        var total = 0;
        for (var round = 0; round < rounds; round++)
            for (var k = 0; k < 5; k++) total += await ChainCheck.AssertStreamAsync(store, $"race-{round}-{k}");
        total.Should().Be(writers * rounds * perSave);
        (await db.ScalarAsync<long>("select max(seq) from dcassets.events")).Should().Be(before + total, "a lost creation race is retried before any position is taken");
    }
}
