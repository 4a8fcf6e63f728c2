using DcAssets.EventStore.Projections;
using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests;

public sealed record RoomTally(string Room, int Things);

/// <summary>An inline read model keyed by room, not by stream: appends to different streams share its documents.</summary>
public sealed class RoomTallies : DocumentProjection<RoomTally>
{
    public RoomTallies() : base("room_tallies") => Handles<ThingRegistered>();

    protected override IEnumerable<string> DocumentIds(StoredEvent e) => [((ThingRegistered)e.Data).Room];

    protected override RoomTally? Apply(RoomTally? current, StoredEvent e) =>
        new(((ThingRegistered)e.Data).Room, (current?.Things ?? 0) + 1);
}

public sealed class InlineDocumentConcurrencyTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Concurrent_appends_that_create_the_same_document_lose_no_update()
    {
        var options = TestStores.Options(db.ConnectionString);
        options.InlineProjections.Add(new RoomTallies());
        await using var store = await EventStore.CreateAsync(options);
        const int writers = 8, rounds = 40;

        // Each round, every writer registers a thing (in its own stream) into one room nobody has used yet,
        // all released at once, so they race to create that room's document.
        for (var round = 0; round < rounds; round++)
        {
            var ready = 0;
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                await using var s = store.OpenSession(TestStores.Engineer);
                s.Events.StartStream($"thing-{round}-{w}", new ThingRegistered($"T{w}", $"room-{round}"));
                if (Interlocked.Increment(ref ready) == writers) go.SetResult();
                await go.Task;
                await s.SaveChangesAsync();
            })));
        }

        var q = store.QuerySession();
        for (var round = 0; round < rounds; round++)
            (await q.LoadAsync<RoomTally>($"room-{round}"))!.Things.Should().Be(writers, $"room-{round} counts every thing registered into it");
    }
}
