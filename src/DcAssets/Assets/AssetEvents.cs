namespace DcAssets.Assets;

// The register's history. Names are stored (see AssetsSlice.Register); shapes only grow.

/// <summary>What an asset is, apart from where it stands, its state and its warranty.</summary>
public sealed record AssetDetails(
    AssetCategory Category,
    string? Make = null,
    string? Model = null,
    string? Serial = null,
    int HeightU = 1,
    string? ManagementAddress = null,
    string? Owner = null,
    DateOnly? PurchaseDate = null,
    IReadOnlyDictionary<string, string>? Attributes = null)
{
    public bool SameAs(AssetDetails other) =>
        this with { Attributes = null } == other with { Attributes = null }
        && (Attributes ?? new Dictionary<string, string>()).OrderBy(a => a.Key)
            .SequenceEqual((other.Attributes ?? new Dictionary<string, string>()).OrderBy(a => a.Key));
}

/// <summary>Where an asset stands: a room, and within it optionally a rack and the lowest U it occupies.</summary>
public sealed record Location(string Room, string? Rack = null, int? Position = null);

public sealed record AssetRegistered(string Tag, AssetDetails Details, Location? Location, AssetStatus Status,
    DateOnly? WarrantyEnd, string? SupportContract);

public sealed record AssetDetailsCorrected(string Tag, AssetDetails Details, string[] Fields);

public sealed record AssetMoved(string Tag, Location? From, Location? To);

public sealed record AssetStatusChanged(string Tag, AssetStatus From, AssetStatus To, string? Note);

public sealed record WarrantyRecorded(string Tag, DateOnly? WarrantyEnd, string? SupportContract);

public sealed record AssetRetired(string Tag, string? Reason);
