using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests;

public sealed class IdempotencyTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_repeated_key_appends_nothing_and_reports_the_original_positions()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        async Task<SaveResult> Save()
        {
            await using var s = store.OpenSession(TestStores.Engineer);
            s.IdempotencyKey = "poll:ups-1:2026-11-21T10:00";
            s.Events.Append("thing-idem", new ThingMoved("R1", 1), new ThingMoved("R2", 2));
            return await s.SaveChangesAsync();
        }
        var first = await Save();
        var second = await Save();

        first.WasDuplicate.Should().BeFalse();
        second.WasDuplicate.Should().BeTrue();
        second.Events.Should().Equal(first.Events);
        (await store.QuerySession().Events.FetchStreamAsync("thing-idem")).Should().HaveCount(2);
    }

    [Fact]
    public async Task Concurrent_saves_with_one_key_append_once()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            await using var s = store.OpenSession(TestStores.Engineer);
            s.IdempotencyKey = "same-key";
            s.Events.Append("thing-idem-race", new Counted(i, 0));
            return await s.SaveChangesAsync();
        })));
        results.Count(r => !r.WasDuplicate).Should().Be(1);
        results.Should().OnlyContain(r => r.Events.Single() == results.Single(x => !x.WasDuplicate).Events.Single());
        (await store.QuerySession().Events.FetchStreamAsync("thing-idem-race")).Should().HaveCount(1);
    }

    [Fact]
    public async Task A_failed_save_releases_its_key()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await using var s = store.OpenSession(TestStores.Engineer);
        s.IdempotencyKey = "retry-me";
        s.Events.Append("thing-idem-fail", expectedVersion: 3, new ThingMoved("R1", 1));
        await s.Invoking(x => x.SaveChangesAsync()).Should().ThrowAsync<ConcurrencyException>();

        await using var retry = store.OpenSession(TestStores.Engineer);
        retry.IdempotencyKey = "retry-me";
        retry.Events.Append("thing-idem-fail", new ThingMoved("R1", 1));
        (await retry.SaveChangesAsync()).WasDuplicate.Should().BeFalse();
    }
}
