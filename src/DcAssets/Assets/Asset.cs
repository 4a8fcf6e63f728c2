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

    public static Asset Create(AssetRegistered e) => new()
    {
        Id = AssetVocabulary.StreamId(e.Tag), Tag = e.Tag, Details = e.Details, Location = e.Location,
        Status = e.Status, WarrantyEnd = e.WarrantyEnd, SupportContract = e.SupportContract,
    };

    public Asset Apply(AssetDetailsCorrected e) => this with { Details = e.Details };
    public Asset Apply(AssetMoved e) => this with { Location = e.To };
    public Asset Apply(AssetStatusChanged e) => this with { Status = e.To };
    public Asset Apply(WarrantyRecorded e) => this with { WarrantyEnd = e.WarrantyEnd, SupportContract = e.SupportContract };
    public Asset Apply(AssetRetired e) => this with { Status = AssetStatus.Retired };
}

public static class AssetFold
{
    /// <summary>One step of the fold with the event's time: used by the inventory projection and by as-of reads alike.</summary>
    public static Asset? Step(Asset? current, DcAssets.EventStore.StoredEvent e)
    {
        var next = DcAssets.EventStore.Aggregation.Aggregator<Asset>.Apply(current, e.Data);
        return next is null ? null : next with { RegisteredAt = current?.RegisteredAt ?? e.RecordedAt, ChangedAt = e.RecordedAt };
    }
}
