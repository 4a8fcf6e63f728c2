using JasperFx.Events;
using Marten.Schema;
using Marten.Events.Aggregation;
using Weasel.Postgresql.Tables;

namespace DcAssets.Assets.Inventory;

/// <summary>The register as it stands now (document alias "inventory"), kept inline with every asset event.</summary>
public sealed class InventoryProjection : SingleStreamProjection<Asset, string>
{
    public const string Alias = "inventory";

    public InventoryProjection()
    {
        IncludeType<AssetRegistered>();
        IncludeType<AssetDetailsCorrected>();
        IncludeType<AssetMoved>();
        IncludeType<AssetStatusChanged>();
        IncludeType<WarrantyRecorded>();
        IncludeType<AssetRetired>();
    }

    public override Asset? Evolve(Asset? snapshot, string id, IEvent e) => AssetFold.Step(snapshot, e);

    /// <summary>
    /// The document's indexes (Marten calls <see cref="Asset.ConfigureMarten"/>, which calls this). The filters are
    /// SQL over the JSON (InventoryQueries), so the indexes are on those same expressions; room, rack and tag are
    /// matched without regard to case, hence upper(...).
    /// </summary>
    public static void Index(DocumentMapping mapping)
    {
        void Index(string name, params string[] expressions) =>
            mapping.Indexes.Add(new IndexDefinition($"mt_doc_{Alias}_{name}").AgainstColumns(expressions));
        Index("tag", "upper(data ->> 'tag')");
        Index("category", "(data -> 'details' ->> 'category')");
        Index("status", "(data ->> 'status')");
        Index("room_upper", "upper(data -> 'location' ->> 'room')");
        Index("rack_upper", "upper(data -> 'location' ->> 'rack')");
        Index("warranty", "(data ->> 'warrantyEnd')");
        // "Servers in room X" is the list engineers ask for most; matched and already in page order.
        Index("category_room_tag", "(data -> 'details' ->> 'category')", "upper(data -> 'location' ->> 'room')",
            "upper(data ->> 'tag')");
    }
}
