using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests;

public sealed class AppendAndReadTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Every_metadata_field_round_trips()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        var actor = TestStores.Engineer with { CorrelationId = "corr-1" };
        await using (var s = store.OpenSession(actor))
        {
            s.CausationId = "cmd-9";
            s.IdempotencyKey = "key-roundtrip";
            s.Events.StartStream("thing-meta", "thing", new ThingRegistered("A-1", "R1"));
            await s.SaveChangesAsync();
        }

        var e = (await store.QuerySession().Events.FetchStreamAsync("thing-meta")).Single();
        e.Metadata.Should().BeEquivalentTo(new EventMetadata
        {
            ActorId = "u-42", ActorName = "Li Wei", Role = "engineer", Source = "api", ClientAddress = "10.1.2.3",
            CorrelationId = "corr-1", CausationId = "cmd-9", IdempotencyKey = "key-roundtrip",
        });
        e.Data.Should().Be(new ThingRegistered("A-1", "R1"));
        e.TypeName.Should().Be("thing_registered");
        e.Version.Should().Be(1);
        e.RecordedAt.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        (await store.QuerySession().Events.StreamStateAsync("thing-meta"))!.Type.Should().Be("thing");
    }

    [Fact]
    public async Task Streams_read_back_in_version_order_and_by_range()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("thing-range", new ThingRegistered("A-2", "R1"));
            s.Events.Append("thing-range", new ThingMoved("R2", 1), new ThingMoved("R3", 2), new ThingMoved("R4", 3));
            var result = await s.SaveChangesAsync();
            result.Events.Select(e => e.Version).Should().Equal(1, 2, 3, 4);
            result.Events.Select(e => e.Position).Should().BeInAscendingOrder();
        }
        var reader = store.QuerySession().Events;
        (await reader.FetchStreamAsync("thing-range", fromVersion: 2, toVersion: 3)).Select(e => ((ThingMoved)e.Data).Room)
            .Should().Equal("R2", "R3");
        (await reader.FetchStreamAsync("thing-nope")).Should().BeEmpty();
        (await reader.StreamStateAsync("thing-range"))!.Version.Should().Be(4);
    }

    [Fact]
    public async Task ReadAll_pages_through_every_event_in_position_order()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        for (var i = 0; i < 25; i++)
        {
            await using var s = store.OpenSession(TestStores.Engineer);
            s.Events.Append($"thing-all-{i % 3}", new ThingMoved("R", i));
            await s.SaveChangesAsync();
        }
        var all = new List<StoredEvent>();
        await foreach (var e in store.QuerySession().Events.ReadAllAsync(0, batchSize: 7)) all.Add(e);
        var mine = all.Where(e => e.StreamId.StartsWith("thing-all-")).ToList();
        mine.Should().HaveCount(25);
        all.Select(e => e.Position).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Archived_streams_leave_normal_reads_refuse_appends_and_keep_their_events()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("thing-old", new ThingRegistered("A-3", "R1"));
            await s.SaveChangesAsync();
            s.Events.ArchiveStream("thing-old");
            await s.SaveChangesAsync();
        }
        var reader = store.QuerySession().Events;
        (await reader.FetchStreamAsync("thing-old")).Should().BeEmpty();
        (await reader.FetchStreamAsync("thing-old", includeArchived: true)).Should().HaveCount(1);
        (await reader.StreamStateAsync("thing-old"))!.Archived.Should().BeTrue();

        await using var again = store.OpenSession(TestStores.Engineer);
        again.Events.Append("thing-old", new ThingMoved("R9", 1));
        await again.Invoking(x => x.SaveChangesAsync()).Should().ThrowAsync<StreamArchivedException>().WithMessage("*thing-old*");
    }

    [Fact]
    public async Task Stored_hashes_chain_over_each_event_exactly_as_stored()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("thing-hash", new ThingRegistered("Ünïcødé \"quoted\" 机房", "R1", 0.0000001m));
            s.Events.Append("thing-hash", new ThingMoved("R2", int.MaxValue), new ThingRenamed("B-1"));
            await s.SaveChangesAsync();
        }
        (await ChainCheck.AssertStreamAsync(store, "thing-hash")).Should().Be(3);
    }
}
