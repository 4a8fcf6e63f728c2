using System.Text.Json.Nodes;
using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests;

public sealed record LegacyPlaced(string Where);
public sealed record PlacedV2(string Room, string Rack);

public sealed class UpcastingTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Old_shapes_are_read_as_the_new_type_through_their_upcaster()
    {
        var old = new EventStoreOptions { ConnectionString = db.ConnectionString };
        old.Events.Register<LegacyPlaced>("thing_placed");
        await using (var store = await EventStore.CreateAsync(old))
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("thing-up", new LegacyPlaced("R1/A03"));
            await s.SaveChangesAsync();
        }

        var now = new EventStoreOptions { ConnectionString = db.ConnectionString };
        now.Events.Register<PlacedV2>("thing_placed.v2")
            .Upcast("thing_placed", "thing_placed.v2", o =>
            {
                var parts = o["where"]!.GetValue<string>().Split('/');
                return new JsonObject { ["room"] = parts[0], ["rack"] = parts[1] };
            });
        await using var current = await EventStore.CreateAsync(now);
        await using (var s = current.OpenSession(TestStores.Engineer))
        {
            s.Events.Append("thing-up", new PlacedV2("R2", "B01"));
            await s.SaveChangesAsync();
        }
        var events = await current.QuerySession().Events.FetchStreamAsync("thing-up");
        events.Select(e => e.Data).Should().Equal(new PlacedV2("R1", "A03"), new PlacedV2("R2", "B01"));
        events[0].TypeName.Should().Be("thing_placed", "the stored name never changes");
    }

    [Fact]
    public void Registering_a_retired_name_or_a_bad_name_is_refused()
    {
        var registry = new EventTypeRegistry();
        registry.Upcast("old_name", "new_name", o => o);
        registry.Invoking(r => r.Register<PlacedV2>("old_name")).Should().Throw<ArgumentException>();
        registry.Invoking(r => r.Register<PlacedV2>("Has Spaces")).Should().Throw<ArgumentException>().WithMessage("*a-z*");
    }
}
