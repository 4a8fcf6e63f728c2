using DcAssets.Assets.Places;

namespace DcAssets.Assets;

/// <summary>
/// An asset as a person or a CSV row states it: text, checked field by field so every problem can
/// be named. Dates are yyyy-MM-dd; category and status are the snake_case words.
/// </summary>
public sealed record AssetInput
{
    public string? Tag { get; init; }
    public string? Category { get; init; }
    public string? Make { get; init; }
    public string? Model { get; init; }
    public string? Serial { get; init; }
    public string? Room { get; init; }
    public string? Rack { get; init; }
    public int? Position { get; init; }
    public int? HeightU { get; init; }
    public string? Status { get; init; }
    public string? ManagementAddress { get; init; }
    public string? Owner { get; init; }
    public string? PurchaseDate { get; init; }
    public string? WarrantyEnd { get; init; }
    public string? SupportContract { get; init; }
    public Dictionary<string, string>? Attributes { get; init; }

    public AssetDetails ParseDetails(Problems p)
    {
        if (!AssetVocabulary.TryParse<AssetCategory>(Category, out var category))
            p.Add("category", AssetRefusals.NotACategory(Category));
        if (HeightU is < 0 or > 60) p.Add("heightU", AssetRefusals.HeightRange(0, 60));
        if (!AssetVocabulary.TryParseDate(PurchaseDate, out var purchased))
            p.Add("purchaseDate", AssetRefusals.NotADate(PurchaseDate));
        foreach (var (name, text) in new[] { ("make", Make), ("model", Model), ("serial", Serial),
            ("managementAddress", ManagementAddress), ("owner", Owner) })
            if (text?.Length > 200) p.Add(name, AssetRefusals.TooLong(200));
        if (AssetVocabulary.Clean(ManagementAddress) is { } address && !ManagementAddresses.IsValid(address))
            p.Add("managementAddress", AssetRefusals.NotAnAddress(address));
        var attributes = Attributes?.Where(a =>
            !string.IsNullOrWhiteSpace(a.Key) && !string.IsNullOrWhiteSpace(a.Value))
            .ToDictionary(a => a.Key.Trim(), a => a.Value.Trim());
        return new AssetDetails(category, AssetVocabulary.Clean(Make), AssetVocabulary.Clean(Model),
            AssetVocabulary.Clean(Serial),
            HeightU ?? 1, AssetVocabulary.Clean(ManagementAddress), AssetVocabulary.Clean(Owner), purchased,
            attributes is { Count: > 0 } ? attributes : null);
    }

    public AssetStatus ParseStatus(Problems p, AssetStatus fallback)
    {
        if (string.IsNullOrWhiteSpace(Status)) return fallback;
        if (AssetVocabulary.TryParse<AssetStatus>(Status, out var s)) return s;
        p.Add("status", AssetRefusals.NotAStatus(Status));
        return fallback;
    }

    /// <param name="purchased">The asset's purchase date, when known: a warranty cannot end before it.</param>
    public (DateOnly? End, string? Contract) ParseWarranty(Problems p, DateOnly? purchased = null)
    {
        if (!AssetVocabulary.TryParseDate(WarrantyEnd, out var end))
            p.Add("warrantyEnd", AssetRefusals.NotADate(WarrantyEnd));
        else if (end < purchased) p.Add("warrantyEnd", AssetRefusals.WarrantyBeforePurchase(purchased.Value));
        return (end, AssetVocabulary.Clean(SupportContract));
    }

    public Location? ParseLocation(Problems p, Whereabouts w, int heightU, string? tag) =>
        Whereabouts.Check(p, AssetVocabulary.Clean(Room), AssetVocabulary.Clean(Rack), Position, heightU, w, tag);
}

/// <summary>
/// What a decision about a location needs to know, loaded by the caller: the room, the rack and who is in it.
/// </summary>
public sealed record Whereabouts(Place? Room, Place? Rack, IReadOnlyList<Asset> RackOccupants)
{
    public static readonly Whereabouts Nowhere = new(null, null, []);

    public static Location? Check(Problems p, string? room, string? rack, int? position, int heightU, Whereabouts w,
        string? tag)
    {
        if (room is null)
        {
            if (rack is not null || position is not null) p.Add("room", AssetRefusals.RoomNeeded());
            return null;
        }
        if (w.Room is not { Kind: PlaceKind.Room }) { p.Add("room", AssetRefusals.NoRoom(room)); return null; }
        if (rack is null)
        {
            if (position is not null) p.Add("position", AssetRefusals.RackNeeded());
            return new Location(w.Room.Code);
        }
        if (w.Rack is not { Kind: PlaceKind.Rack }) { p.Add("rack", AssetRefusals.NoRack(rack)); return null; }
        if (!string.Equals(w.Rack.Parent, w.Room.Code, StringComparison.OrdinalIgnoreCase))
        {
            p.Add("rack", AssetRefusals.RackInOtherRoom(w.Rack.Code, w.Rack.Parent, w.Room.Code));
            return null;
        }
        if (position is null) return new Location(w.Room.Code, w.Rack.Code);
        var top = position.Value + Math.Max(1, heightU) - 1;
        if (position < 1 || top > w.Rack.HeightU)
        {
            p.Add("position", AssetRefusals.DoesNotFit(position.Value, top, w.Rack.Code, w.Rack.HeightU));
            return null;
        }
        var wanted = Enumerable.Range(position.Value, Math.Max(1, heightU)).ToHashSet();
        foreach (var other in w.RackOccupants.Where(o => o.Status != AssetStatus.Retired
                     && !string.Equals(o.Tag, tag, StringComparison.OrdinalIgnoreCase)
                     && string.Equals(o.Location?.Rack, w.Rack.Code, StringComparison.OrdinalIgnoreCase)))
        {
            var clash = other.Units().Where(wanted.Contains).ToList();
            if (clash.Count > 0)
                p.Add("position", AssetRefusals.Occupied(clash.Min(), clash.Max(), w.Rack.Code, other.Tag));
        }
        return new Location(w.Room.Code, w.Rack.Code, position);
    }
}
