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
        Index("category", "data->'details'->>'category'");
        Index("status", "data->>'status'");
        Index("room", "data->'location'->>'room'");
        Index("rack", "data->'location'->>'rack'");
        Index("warranty", "data->>'warrantyEnd'");
    }

    protected override Asset? Apply(Asset? current, StoredEvent e) => AssetFold.Step(current, e);
}
