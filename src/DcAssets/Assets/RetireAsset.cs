using Marten;
namespace DcAssets.Assets;

/// <summary>The body of the request; the tag comes from the route (left out of a body, it is empty).</summary>
public sealed record RetireAssetCommand(string? Reason, string Tag = "");

/// <summary>Retiring is final: the asset frees its U positions and keeps its history.</summary>
public static class RetireAsset
{
    public static AssetRetired Decide(Asset current, RetireAssetCommand c)
    {
        Guard.NotRetired(current);
        if (string.IsNullOrWhiteSpace(c.Reason)) throw CommandRejected.Field("reason", AssetRefusals.SayWhyRetired());
        return new AssetRetired(current.Tag, c.Reason.Trim());
    }

    public static Task<Asset> Handle(RetireAssetCommand c, IDocumentSession s, CancellationToken ct) =>
        AssetStream.ChangeAsync(s, c.Tag, null, null, (a, _) => Decide(a, c), ct);
}
