using DcAssets.Assets.Inventory;
using DcAssets.Assets.Places;
using JasperFx.Events.Projections;
using Marten;

namespace DcAssets.Assets;

/// <summary>The asset register's contribution to the store: stable event names and its read models.</summary>
public static class AssetsSlice
{
    /// <summary>Events of places' streams, by their stored names (never change them).</summary>
    public static readonly IReadOnlyList<(Type Type, string Name)> PlaceEvents =
    [
        (typeof(SiteAdded), "site_added"), (typeof(RoomAdded), "room_added"), (typeof(RackAdded), "rack_added"),
    ];

    /// <summary>Events of assets' streams, by their stored names (never change them).</summary>
    public static readonly IReadOnlyList<(Type Type, string Name)> AssetEvents =
    [
        (typeof(AssetRegistered), "asset_registered"),
        (typeof(AssetDetailsCorrected), "asset_details_corrected"),
        (typeof(AssetMoved), "asset_moved"),
        (typeof(AssetStatusChanged), "asset_status_changed"),
        (typeof(WarrantyRecorded), "asset_warranty_recorded"),
        (typeof(AssetRetired), "asset_retired"),
    ];

    /// <summary>The register's use cases: each a command, a pure Decide and a Handle (load, decide, append).</summary>
    public static readonly IReadOnlyList<Type> UseCases =
    [
        typeof(RegisterAsset), typeof(CorrectAssetDetails), typeof(MoveAsset), typeof(ChangeAssetStatus),
        typeof(RecordWarranty), typeof(RetireAsset), typeof(AddPlace),
    ];

    /// <summary>The register's read models on Marten, both inline (written in the saving transaction).</summary>
    public static void Register(StoreOptions options)
    {
        options.Schema.For<Place>().DocumentAlias(PlacesProjection.Alias);
        options.Schema.For<Asset>().DocumentAlias(InventoryProjection.Alias);
        options.Projections.Add(new PlacesProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new InventoryProjection(), ProjectionLifecycle.Inline);
    }
}
