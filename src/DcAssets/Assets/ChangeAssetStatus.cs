using Marten;
namespace DcAssets.Assets;

/// <summary>The body of the request; the tag comes from the route (left out of a body, it is empty).</summary>
public sealed record ChangeAssetStatusCommand(string? Status, string? Note, string Tag = "");

/// <summary>Planned, in service, maintenance, faulty; retiring has its own decision, because it is final.</summary>
public static class ChangeAssetStatus
{
    public static AssetStatusChanged? Decide(Asset current, ChangeAssetStatusCommand c)
    {
        Guard.NotRetired(current);
        var p = new Problems();
        if (string.IsNullOrWhiteSpace(c.Status)) p.Add("status", AssetRefusals.Required());
        var to = new AssetInput { Status = c.Status }.ParseStatus(p, current.Status);
        if (to == AssetStatus.Retired) p.Add("status", AssetRefusals.RetireInstead());
        p.ThrowIfAny();
        return to == current.Status
            ? null : new AssetStatusChanged(current.Tag, current.Status, to, AssetVocabulary.Clean(c.Note));
    }

    public static Task<Asset> Handle(ChangeAssetStatusCommand c, IDocumentSession s, CancellationToken ct) =>
        AssetStream.ChangeAsync(s, c.Tag, null, null, (a, _) => Decide(a, c), ct);
}
