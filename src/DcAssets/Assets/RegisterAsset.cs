using Marten;
namespace DcAssets.Assets;

public sealed record RegisterAssetCommand(AssetInput Asset);

/// <summary>
/// Registering a new asset: every field checked and named, the tag must be new, its U positions free.
/// </summary>
public static class RegisterAsset
{
    public static AssetRegistered Decide(Asset? existing, AssetInput c, Whereabouts w)
    {
        var p = new Problems();
        var tag = c.Tag?.Trim();
        if (!AssetVocabulary.IsValidTag(tag)) p.Add("tag", AssetRefusals.TagRule());
        var details = c.ParseDetails(p);
        var status = c.ParseStatus(p, AssetStatus.Planned);
        if (status == AssetStatus.Retired) p.Add("status", AssetRefusals.NewCannotBeRetired());
        var (warrantyEnd, contract) = c.ParseWarranty(p, details.PurchaseDate);
        var location = c.ParseLocation(p, w, details.HeightU, tag);
        p.ThrowIfAny();
        if (existing is not null)
            throw CommandRejected.Field("tag", AssetRefusals.TagTaken(existing.Tag), RejectionKind.Conflict);
        return new AssetRegistered(tag!, details, location, status, warrantyEnd, contract);
    }

    /// <summary>Load, decide and append, holding the rack the asset is to stand in.</summary>
    public static async Task<Asset> Handle(RegisterAssetCommand c, IDocumentSession s, CancellationToken ct)
    {
        await Racks.RackLock.TakeAsync(s, [c.Asset.Rack], ct);
        var (existing, _) = await AssetStream.LoadAsync(s, c.Asset.Tag?.Trim() ?? "", ct: ct);
        var registered = Decide(existing, c.Asset,
            await AssetStream.WhereaboutsAsync(s, c.Asset.Room, c.Asset.Rack, ct));
        s.Events.StartStream(AssetVocabulary.StreamId(registered.Tag), registered);
        await AssetStream.SaveAsync(s, registered.Tag, ct);
        return Asset.From(registered);
    }
}
