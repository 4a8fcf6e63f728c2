using DcAssets.EventStore;
using DcAssets.EventStore.Projections;

namespace DcAssets.Assets.Inventory;

/// <summary>The register as it stands now (read model "inventory"), kept inline with every asset event.</summary>
public sealed class InventoryProjection : DocumentProjection<Asset>
{
    public InventoryProjection() : base("inventory")
    {
        Handles<AssetRegistered>();
        Handles<AssetDetailsCorrected>();
        Handles<AssetMoved>();
        Handles<AssetStatusChanged>();
        Handles<WarrantyRecorded>();
        Handles<AssetRetired>();
        Index("tag", "upper(data->>'tag')");
        // The inventory is read page after page and changed now and then: keep its JSON text ready.
        KeepJsonText();
        Index("category", "data->'details'->>'category'");
        Index("status", "data->>'status'");
        // Room and rack are matched without regard to case, so their indexes are on upper(...).
        Index("room_upper", "upper(data->'location'->>'room')");
        Index("rack_upper", "upper(data->'location'->>'rack')");
        Index("warranty", "data->>'warrantyEnd'");
        // "Servers in room X" is the list engineers ask for most; matched and already in page order.
        CompositeIndex("category_room_tag", "data->'details'->>'category'", "upper(data->'location'->>'room')", "upper(data->>'tag')");
    }

    protected override Asset? Apply(Asset? current, StoredEvent e) => AssetFold.Step(current, e);
}
