using Marten;
using System.Text.Json;

namespace DcAssets.Assets;

public sealed record CorrectAssetDetailsCommand(string Tag, AssetInput Asset);

/// <summary>
/// Correcting what an asset is (category, make, model, serial, height, address, owner, purchase date, attributes).
/// </summary>
public static class CorrectAssetDetails
{
    /// <summary>Null when nothing differs: a correction that changes nothing is not history.</summary>
    public static AssetDetailsCorrected? Decide(Asset current, AssetInput c, Whereabouts w)
    {
        Guard.NotRetired(current);
        var p = new Problems();
        var details = c.ParseDetails(p);
        // A taller asset must still fit where it stands.
        // (When the caller loaded another rack — an import row that also moves it — the move checks the fit.)
        if (details.HeightU != current.Details.HeightU && current.Location is { Rack: not null } l
            && string.Equals(w.Rack?.Code, l.Rack, StringComparison.OrdinalIgnoreCase))
            Whereabouts.Check(p, l.Room, l.Rack, l.Position, details.HeightU, w, current.Tag);
        p.ThrowIfAny();
        if (details.SameAs(current.Details)) return null;
        return new AssetDetailsCorrected(current.Tag, details, ChangedFields(current.Details, details));
    }

    private static string[] ChangedFields(AssetDetails before, AssetDetails after)
    {
        var a = JsonSerializer.SerializeToElement(before, Json);
        var b = JsonSerializer.SerializeToElement(after, Json);
        string? Raw(JsonElement o, string name) => o.TryGetProperty(name, out var v) ? v.GetRawText() : null;
        // Null fields are left out of the JSON, so compare over the names either side has.
        return a.EnumerateObject().Select(x => x.Name).Union(b.EnumerateObject().Select(x => x.Name))
            .Where(name => Raw(a, name) != Raw(b, name)).ToArray();
    }

    private static readonly JsonSerializerOptions Json = DcAssetsStore.Json();

    /// <summary>
    /// Holds the lock of the rack the asset stands in (a taller asset must still fit there). Which rack that is can
    /// only be read before the lock is taken; a move committed in between is seen under the lock and the correction
    /// refused as changed meanwhile, since the rack locked is no longer the asset's.
    /// </summary>
    public static async Task<Asset> Handle(CorrectAssetDetailsCommand c, IDocumentSession s, CancellationToken ct)
    {
        var seen = (await AssetStream.LoadAsync(s, c.Tag, ct: ct)).Asset?.Location;
        return await AssetStream.ChangeAsync(s, c.Tag, seen?.Room, seen?.Rack, (a, w) =>
            !string.Equals(a.Location?.Rack, seen?.Rack, StringComparison.OrdinalIgnoreCase)
                ? throw CommandRejected.Field("tag", AssetRefusals.ChangedMeanwhile(a.Tag), RejectionKind.Conflict)
                : Decide(a, c.Asset, w), ct);
    }
}

internal static class Guard
{
    public static void NotRetired(Asset current)
    {
        if (current.Status == AssetStatus.Retired)
            throw CommandRejected.Field("status", AssetRefusals.Retired(current.Tag), RejectionKind.Conflict);
    }
}
