using DcAssets.Assets.Inventory;
using DcAssets.Assets.Places;
using DcAssets.EventStore;

namespace DcAssets.Assets;

/// <summary>The asset register's contribution to the store: stable event names and inline read models.</summary>
public static class AssetsSlice
{
    public static void Register(EventStoreOptions options)
    {
        options.Events
            .Register<SiteAdded>("site_added")
            .Register<RoomAdded>("room_added")
            .Register<RackAdded>("rack_added")
            .Register<AssetRegistered>("asset_registered")
            .Register<AssetDetailsCorrected>("asset_details_corrected")
            .Register<AssetMoved>("asset_moved")
            .Register<AssetStatusChanged>("asset_status_changed")
            .Register<WarrantyRecorded>("asset_warranty_recorded")
            .Register<AssetRetired>("asset_retired");
        options.InlineProjections.Add(new PlacesProjection());
        options.InlineProjections.Add(new InventoryProjection());
    }
}
