using DcAssets.Assets;

namespace DcAssets.Telemetry;

/// <summary>
/// An asset of the register by its tag, as typed (tags ignore case); null when there is none: how telemetry asks
/// the register whether a device is an asset and of which kind.
/// </summary>
public delegate Task<Asset?> AssetLookup(string tag, CancellationToken ct);

public static class AssetRegister
{
    /// <summary>The register's inventory documents in <paramref name="store"/>.</summary>
    public static AssetLookup In(Marten.IDocumentStore store) => async (tag, ct) =>
    {
        if (!AssetVocabulary.IsValidTag(tag)) return null;
        await using var q = store.QuerySession();
        return await q.LoadAsync<Asset>(AssetVocabulary.StreamId(tag), ct);
    };
}
