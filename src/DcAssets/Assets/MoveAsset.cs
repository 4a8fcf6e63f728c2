namespace DcAssets.Assets;

public sealed record MoveAssetCommand(string? Room, string? Rack, int? Position);

/// <summary>Moving an asset: the target must exist and its U positions be free; the occupant is named otherwise.</summary>
public static class MoveAsset
{
    public static AssetMoved? Decide(Asset current, MoveAssetCommand c, Whereabouts w)
    {
        Guard.NotRetired(current);
        var p = new Problems();
        var to = Whereabouts.Check(p, AssetVocabulary.Clean(c.Room), AssetVocabulary.Clean(c.Rack), c.Position, current.Details.HeightU, w, current.Tag);
        p.ThrowIfAny();
        return to == current.Location ? null : new AssetMoved(current.Tag, current.Location, to);
    }
}
