using DcAssets.EventStore.Projections;

namespace DcAssets.EventStore.Tests.Infrastructure;

public sealed record ThingRegistered(string Tag, string Room, decimal Weight = 1.5m);
public sealed record ThingMoved(string Room, int Position);
public sealed record ThingRenamed(string Tag);
public sealed record Blob(string Payload);
public sealed record Poison(string Why);
public sealed record Counted(int Writer, int Attempt);

/// <summary>An immutable aggregate folded by convention.</summary>
public sealed record Thing(string Tag, string Room, int Moves)
{
    public static Thing Create(ThingRegistered e) => new(e.Tag, e.Room, 0);
    public Thing Apply(ThingMoved e) => this with { Room = e.Room, Moves = Moves + 1 };
    public Thing Apply(ThingRenamed e) => this with { Tag = e.Tag };
}

/// <summary>A mutable aggregate folded by convention.</summary>
public sealed class ThingCounter
{
    public int Events { get; private set; }
    public void Apply(ThingRegistered _) => Events++;
    public void Apply(ThingMoved _) => Events++;
}

public sealed record ThingRow(string Id, string Tag, string Room, long LastPosition);

/// <summary>Inline read model used by the tests; throws on <see cref="Poison"/> to prove rollback.</summary>
public sealed class ThingRows : DocumentProjection<ThingRow>
{
    public ThingRows() : base("thing_rows")
    {
        Handles<ThingRegistered>();
        Handles<ThingMoved>();
        Handles<Poison>();
        Index("room", "data->>'room'");
    }

    protected override ThingRow? Apply(ThingRow? current, StoredEvent e) => e.Data switch
    {
        ThingRegistered r => new ThingRow(e.StreamId, r.Tag, r.Room, e.Position),
        ThingMoved m when current is not null => current with { Room = m.Room, LastPosition = e.Position },
        Poison p => throw new InvalidOperationException(p.Why),
        _ => current,
    };
}

public static class TestStores
{
    public static EventStoreOptions Options(string cs, bool withProjection = false)
    {
        var o = new EventStoreOptions { ConnectionString = cs };
        o.Events.Register<ThingRegistered>("thing_registered")
            .Register<ThingMoved>("thing_moved")
            .Register<ThingRenamed>("thing_renamed")
            .Register<Blob>("blob")
            .Register<Poison>("poison")
            .Register<Counted>("counted");
        if (withProjection) o.InlineProjections.Add(new ThingRows());
        return o;
    }

    public static Task<EventStore> OpenAsync(string cs, bool withProjection = false) =>
        EventStore.CreateAsync(Options(cs, withProjection));

    public static Actor Engineer => new("u-42", "Li Wei", "engineer", EventSources.Api)
    {
        ClientAddress = "10.1.2.3",
    };
}
