using Marten;
namespace DcAssets.Assets;

/// <summary>The body of the request; the tag comes from the route (left out of a body, it is empty).</summary>
public sealed record MoveAssetCommand(string? Room, string? Rack, int? Position, string Tag = "");

/// <summary>
/// Moving an asset: the target must exist and its U positions be free; the occupant is named otherwise.
/// </summary>
public static class MoveAsset
{
    public static AssetMoved? Decide(Asset current, MoveAssetCommand c, Whereabouts w)
    {
        Guard.NotRetired(current);
        var p = new Problems();
        var to = Whereabouts.Check(p, AssetVocabulary.Clean(c.Room), AssetVocabulary.Clean(c.Rack), c.Position,
            current.Details.HeightU, w, current.Tag);
        p.ThrowIfAny();
        return to == current.Location ? null : new AssetMoved(current.Tag, current.Location, to);
    }

    public static Task<Asset> Handle(MoveAssetCommand c, IDocumentSession s, CancellationToken ct) =>
        AssetStream.ChangeAsync(s, c.Tag, c.Room, c.Rack, (a, w) => Decide(a, c, w), ct);
}
