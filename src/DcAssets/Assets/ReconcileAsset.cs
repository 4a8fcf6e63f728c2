namespace DcAssets.Assets;

/// <summary>
/// An import row against the register: a new tag is registered; a known one gets one event per
/// kind of change (correction, move, status, warranty); an unchanged row gives no events at all.
/// </summary>
public static class ReconcileAsset
{
    public static IReadOnlyList<object> Decide(Asset? current, AssetInput row, Whereabouts w)
    {
        if (current is null) return [RegisterAsset.Decide(null, row, w)];
        if (current.Status == AssetStatus.Retired)
            return AssetVocabulary.TryParse<AssetStatus>(row.Status, out var s) && s == AssetStatus.Retired
                ? [] : throw CommandRejected.Field("status", AssetRefusals.RetiredRow(current.Tag),
                    RejectionKind.Conflict);

        // Check every column first, so a bad row is reported whole and changes nothing.
        var p = new Problems();
        var details = row.ParseDetails(p);
        var status = row.ParseStatus(p, current.Status);
        row.ParseWarranty(p, details.PurchaseDate ?? current.Details.PurchaseDate);
        p.ThrowIfAny();

        var events = new List<object>();
        var corrected = CorrectAssetDetails.Decide(current, row, w);
        if (corrected is not null) events.Add(corrected);
        var height = corrected?.Details.HeightU ?? current.Details.HeightU;
        if (MoveAsset.Decide(current with { Details = current.Details with { HeightU = height } },
            new MoveAssetCommand(row.Room, row.Rack, row.Position), w) is { } moved)
            events.Add(moved);
        if (status == AssetStatus.Retired) events.Add(new AssetRetired(current.Tag, "retired by import"));
        else if (ChangeAssetStatus.Decide(current,
            new ChangeAssetStatusCommand(row.Status ?? AssetVocabulary.Name(current.Status), null)) is { } changed)
            events.Add(changed);
        if (RecordWarranty.Decide(current,
            new RecordWarrantyCommand(row.WarrantyEnd, row.SupportContract)) is { } warranty) events.Add(warranty);
        return events;
    }
}
