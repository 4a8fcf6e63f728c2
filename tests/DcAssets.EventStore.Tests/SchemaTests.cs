using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests;

public sealed class SchemaTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Nodes_starting_together_migrate_once_and_both_work()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TestStores.OpenAsync(db.ConnectionString, withProjection: true)));
        try
        {
            for (var i = 0; i < stores.Length; i++)
            {
                await using var s = stores[i].OpenSession(TestStores.Engineer);
                s.Events.StartStream($"thing-node-{i}", new ThingRegistered($"N-{i}", "R1"));
                await s.SaveChangesAsync();
            }
            (await db.ScalarAsync<long>("select count(*) from dcassets.doc_thing_rows")).Should().Be(4);
            (await db.ScalarAsync<long>("select count(*) from pg_indexes where indexname = 'doc_thing_rows_room'")).Should().Be(1);
        }
        finally
        {
            foreach (var s in stores) await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_schemas_in_one_database_share_nothing()
    {
        var a = TestStores.Options(db.ConnectionString);
        var b = new EventStoreOptions { ConnectionString = db.ConnectionString, Schema = "other" };
        b.Events.Register<ThingRegistered>("thing_registered");
        await using var sa = await EventStore.CreateAsync(a);
        await using var sb = await EventStore.CreateAsync(b);
        await using (var s = sb.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("thing-iso", new ThingRegistered("I", "R"));
            await s.SaveChangesAsync();
        }
        (await sa.QuerySession().Events.FetchStreamAsync("thing-iso")).Should().BeEmpty();
        (await sb.QuerySession().Events.FetchStreamAsync("thing-iso")).Should().HaveCount(1);
    }
}
