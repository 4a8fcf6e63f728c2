using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests;

public sealed class AggregationTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Aggregates_fold_by_convention_as_of_a_version_or_a_time()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        var instants = new List<DateTimeOffset>();
        foreach (var e in new object[] { new ThingRegistered("AS-1", "R1"), new ThingMoved("R2", 1), new ThingMoved("R3", 2) })
        {
            await using var s = store.OpenSession(TestStores.Engineer);
            s.Events.Append("thing-asof", e);
            await s.SaveChangesAsync();
            instants.Add((await store.QuerySession().Events.FetchStreamAsync("thing-asof")).Last().RecordedAt);
            await Task.Delay(20);
        }
        var reader = store.QuerySession().Events;

        (await reader.AggregateStreamAsync<Thing>("thing-asof")).Should().Be(new Thing("AS-1", "R3", 2));
        (await reader.AggregateStreamAsync<Thing>("thing-asof", version: 1)).Should().Be(new Thing("AS-1", "R1", 0));
        (await reader.AggregateStreamAsync<Thing>("thing-asof", version: 2)).Should().Be(new Thing("AS-1", "R2", 1));
        (await reader.AggregateStreamAsync<Thing>("thing-asof", asOf: instants[0])).Should().Be(new Thing("AS-1", "R1", 0));
        (await reader.AggregateStreamAsync<Thing>("thing-asof", asOf: instants[1].AddMilliseconds(5))).Should().Be(new Thing("AS-1", "R2", 1));
        (await reader.AggregateStreamAsync<Thing>("thing-asof", asOf: instants[0].AddDays(-1))).Should().BeNull();
        (await reader.AggregateStreamAsync<ThingCounter>("thing-asof"))!.Events.Should().Be(3);
        (await reader.AggregateStreamAsync<int>("thing-asof", (n, e) => n + (e.Data is ThingMoved ? 1 : 0))).Should().Be(2);
    }
}
