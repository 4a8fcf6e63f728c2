using DcAssets.Assets;

namespace DcAssets.Telemetry;

/// <summary>
/// An asset of the register by its tag, as typed (tags ignore case); null when there is none. Telemetry asks the
/// register through this because the Assets slice still keeps its history in our own store: when it moves to
/// Marten, the lookup reads the same session instead.
/// </summary>
public delegate Task<Asset?> AssetLookup(string tag, CancellationToken ct);

public static class AssetRegister
{
    /// <summary>The register kept by our own store.</summary>
    public static AssetLookup In(EventStore.EventStore store) => async (tag, ct) =>
    {
        if (!AssetVocabulary.IsValidTag(tag)) return null;
        await using var q = store.QuerySession();
        return await q.LoadAsync<Asset>(AssetVocabulary.StreamId(tag), ct);
    };
}
