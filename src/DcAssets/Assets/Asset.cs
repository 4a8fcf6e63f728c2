namespace DcAssets.Assets;

/// <summary>
/// An asset as folded from its stream. The same shape is the inventory document, so the register
/// now and the register as of any date are one type.
/// </summary>
public sealed record Asset
{
    public required string Id { get; init; }
    public required string Tag { get; init; }
    public required AssetDetails Details { get; init; }
    public Location? Location { get; init; }
    public AssetStatus Status { get; init; }
    public DateOnly? WarrantyEnd { get; init; }
    public string? SupportContract { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }
    public DateTimeOffset ChangedAt { get; init; }

    /// <summary>U positions taken in the rack, lowest first; empty when not racked.</summary>
    public IEnumerable<int> Units() =>
        Location is { Rack: not null, Position: { } p } ? Enumerable.Range(p, Math.Max(1, Details.HeightU)) : [];

    public static Asset From(AssetRegistered e) => new()
    {
        Id = AssetVocabulary.StreamId(e.Tag), Tag = e.Tag, Details = e.Details, Location = e.Location,
        Status = e.Status, WarrantyEnd = e.WarrantyEnd, SupportContract = e.SupportContract,
    };

    /// <summary>Called by Marten when it maps the inventory document: its indexes.</summary>
    public static void ConfigureMarten(Marten.Schema.DocumentMapping mapping) =>
        Inventory.InventoryProjection.Index(mapping);
}

public static class AssetFold
{
    /// <summary>
    /// The asset after one event (kept off the Asset type: Marten's source generator takes Create/Apply/Evolve
    /// methods there for a second way of building the inventory document). Events of other kinds leave it as it is.
    /// </summary>
    public static Asset? Next(Asset? current, object e) => (current, e) switch
    {
        (_, AssetRegistered r) => Asset.From(r),
        (null, _) => null,
        (var a, AssetDetailsCorrected c) => a with { Details = c.Details },
        (var a, AssetMoved m) => a with { Location = m.To },
        (var a, AssetStatusChanged c) => a with { Status = c.To },
        (var a, WarrantyRecorded w) => a with { WarrantyEnd = w.WarrantyEnd, SupportContract = w.SupportContract },
        (var a, AssetRetired) => a with { Status = AssetStatus.Retired },
        (var a, _) => a,
    };

    /// <summary>
    /// One step of the fold with the event's time: used by the inventory projection, as-of reads and history alike.
    /// </summary>
    public static Asset? Step(Asset? current, object data, DateTimeOffset at)
    {
        var next = Next(current, data);
        return next is null ? null : next with { RegisteredAt = current?.RegisteredAt ?? at, ChangedAt = at };
    }

    public static Asset? Step(Asset? current, JasperFx.Events.IEvent e) => Step(current, e.Data, e.Timestamp);
}
