namespace DcAssets.Assets;

/// <summary>Registering a new asset: every field checked and named, the tag must be new, its U positions free.</summary>
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
        var (warrantyEnd, contract) = c.ParseWarranty(p);
        var location = c.ParseLocation(p, w, details.HeightU, tag);
        p.ThrowIfAny();
        if (existing is not null) throw CommandRejected.Field("tag", AssetRefusals.TagTaken(existing.Tag), RejectionKind.Conflict);
        return new AssetRegistered(tag!, details, location, status, warrantyEnd, contract);
    }
}
