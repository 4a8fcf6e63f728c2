namespace DcAssets.Assets;

public sealed record RetireAssetCommand(string? Reason);

/// <summary>Retiring is final: the asset frees its U positions and keeps its history.</summary>
public static class RetireAsset
{
    public static AssetRetired Decide(Asset current, RetireAssetCommand c)
    {
        Guard.NotRetired(current);
        if (string.IsNullOrWhiteSpace(c.Reason)) throw CommandRejected.Field("reason", AssetRefusals.SayWhyRetired());
        return new AssetRetired(current.Tag, c.Reason.Trim());
    }
}
