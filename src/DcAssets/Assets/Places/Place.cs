using JasperFx.Events;
using Marten.Schema;
using Marten.Events.Aggregation;
using Weasel.Postgresql.Tables;

namespace DcAssets.Assets.Places;

public enum PlaceKind { Site, Room, Rack }

// Sites hold rooms, rooms hold racks. Codes are short, unique per kind, and used in URLs and CSV.
public sealed record SiteAdded(string Code, string Name);
public sealed record RoomAdded(string Code, string Name, string Site);
public sealed record RackAdded(string Code, string Name, string Room, int HeightU, string? Row, int? PositionInRow,
    int? PowerBudgetW);

/// <summary>A site, room or rack as the register knows it (Marten document alias "places").</summary>
public sealed record Place(string Id, PlaceKind Kind, string Code, string Name, string? Parent,
    int? HeightU = null, string? Row = null, int? PositionInRow = null, int? PowerBudgetW = null)
{
    public static string StreamId(PlaceKind kind, string code) =>
        $"{AssetVocabulary.Name(kind)}-{code.ToUpperInvariant()}";

    /// <summary>Called by Marten when it maps the document: children are listed by parent.</summary>
    public static void ConfigureMarten(DocumentMapping mapping) =>
        mapping.Indexes.Add(new IndexDefinition($"mt_doc_{PlacesProjection.Alias}_parent")
            .AgainstColumns("(data ->> 'parent')"));
}

public sealed class PlacesProjection : SingleStreamProjection<Place, string>
{
    public const string Alias = "places";

    public PlacesProjection()
    {
        IncludeType<SiteAdded>();
        IncludeType<RoomAdded>();
        IncludeType<RackAdded>();
    }

    public override Place? Evolve(Place? snapshot, string id, IEvent e) => e.Data switch
    {
        SiteAdded s => new Place(id, PlaceKind.Site, s.Code, s.Name, null),
        RoomAdded r => new Place(id, PlaceKind.Room, r.Code, r.Name, r.Site),
        RackAdded k => new Place(id, PlaceKind.Rack, k.Code, k.Name, k.Room, k.HeightU, k.Row, k.PositionInRow,
            k.PowerBudgetW),
        _ => snapshot,
    };
}
