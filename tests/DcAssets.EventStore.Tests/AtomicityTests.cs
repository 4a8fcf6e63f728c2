using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests;

public sealed class AtomicityTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_failure_in_the_second_stream_leaves_neither()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("thing-b", new ThingRegistered("B", "R1"));
            await s.SaveChangesAsync();
        }
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("thing-a", new ThingRegistered("A", "R1"));
            s.Events.Append("thing-b", expectedVersion: 5, new ThingMoved("R2", 1));
            await s.Invoking(x => x.SaveChangesAsync()).Should().ThrowAsync<ConcurrencyException>().Where(e => e.StreamId == "thing-b");
        }
        var reader = store.QuerySession().Events;
        (await reader.FetchStreamAsync("thing-a")).Should().BeEmpty();
        (await reader.StreamStateAsync("thing-a")).Should().BeNull();
        (await reader.FetchStreamAsync("thing-b")).Should().HaveCount(1);
    }

    [Fact]
    public async Task Inline_projection_writes_documents_in_the_append_transaction()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString, withProjection: true);
        await using var s = store.OpenSession(TestStores.Engineer);
        s.Events.StartStream("thing-p1", new ThingRegistered("P-1", "R1"));
        s.Events.StartStream("thing-p2", new ThingRegistered("P-2", "R1"));
        var result = await s.SaveChangesAsync();
        s.Events.Append("thing-p1", new ThingMoved("R7", 3));
        var moved = await s.SaveChangesAsync();

        var row = await s.LoadAsync<ThingRow>("thing-p1");
        row.Should().Be(new ThingRow("thing-p1", "P-1", "R7", moved.Events.Single().Position));
        (await s.Query<ThingRow>().Where("data->>'room' = @room", ("room", "R1")).ToListAsync())
            .Select(r => r.Tag).Should().Equal("P-2");
        (await s.Query<ThingRow>().CountAsync()).Should().Be(2);
        result.Events.Should().HaveCount(2);

        var page = await s.Query<ThingRow>().OrderBy("data->>'tag'").Skip(1).Take(1).ToPageAsync();
        page.Items.Select(r => r.Tag).Should().Equal("P-2");
        page.Total.Should().Be(2);
        var beyond = await s.Query<ThingRow>().Skip(5).Take(1).ToPageAsync();
        beyond.Items.Should().BeEmpty();
        beyond.Total.Should().Be(2, "a page past the end still reports how many match");
    }

    [Fact]
    public async Task A_throwing_inline_projection_rolls_back_the_whole_append()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString, withProjection: true);
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("thing-r1", new ThingRegistered("R-1", "R1"));
            await s.SaveChangesAsync();
        }
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.Append("thing-r1", new ThingMoved("R5", 1));
            s.Events.StartStream("thing-r2", new ThingRegistered("R-2", "R1"), new Poison("projection refuses"));
            await s.Invoking(x => x.SaveChangesAsync()).Should().ThrowAsync<InvalidOperationException>().WithMessage("projection refuses");
        }
        var q = store.QuerySession();
        (await q.Events.FetchStreamAsync("thing-r1")).Should().HaveCount(1);
        (await q.Events.FetchStreamAsync("thing-r2")).Should().BeEmpty();
        (await q.LoadAsync<ThingRow>("thing-r1"))!.Room.Should().Be("R1");
        (await q.LoadAsync<ThingRow>("thing-r2")).Should().BeNull();
    }
}
