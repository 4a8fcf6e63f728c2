using DcAssets.EventStore;
using DcAssets.EventStore.Projections;

namespace DcAssets.Assets.Places;

public enum PlaceKind { Site, Room, Rack }

// Sites hold rooms, rooms hold racks. Codes are short, unique per kind, and used in URLs and CSV.
public sealed record SiteAdded(string Code, string Name);
public sealed record RoomAdded(string Code, string Name, string Site);
public sealed record RackAdded(string Code, string Name, string Room, int HeightU, string? Row, int? PositionInRow, int? PowerBudgetW);

/// <summary>A site, room or rack as the register knows it (read model "places").</summary>
public sealed record Place(string Id, PlaceKind Kind, string Code, string Name, string? Parent,
    int? HeightU = null, string? Row = null, int? PositionInRow = null, int? PowerBudgetW = null)
{
    public static string StreamId(PlaceKind kind, string code) => $"{AssetVocabulary.Name(kind)}-{code.ToUpperInvariant()}";
}

public sealed class PlacesProjection : DocumentProjection<Place>
{
    public PlacesProjection() : base("places")
    {
        Handles<SiteAdded>();
        Handles<RoomAdded>();
        Handles<RackAdded>();
        Index("parent", "data->>'parent'");
    }

    protected override Place? Apply(Place? current, StoredEvent e) => e.Data switch
    {
        SiteAdded s => new Place(e.StreamId, PlaceKind.Site, s.Code, s.Name, null),
        RoomAdded r => new Place(e.StreamId, PlaceKind.Room, r.Code, r.Name, r.Site),
        RackAdded k => new Place(e.StreamId, PlaceKind.Rack, k.Code, k.Name, k.Room, k.HeightU, k.Row, k.PositionInRow, k.PowerBudgetW),
        _ => current,
    };
}
