using System.Net;
using System.Text;
using DcAssets.Assets.Inventory;
using DcAssets.Assets.Places;
using Marten;

namespace DcAssets.Assets.Racks;

public sealed record RackUnit(int U, string? Tag, AssetCategory? Category, string? Label);

/// <summary>
/// A rack's front view: every U from the top down, with what occupies it (as of a moment when asked).
/// </summary>
public sealed record RackElevation(Place Rack, IReadOnlyList<RackUnit> Units, IReadOnlyList<Asset> Occupants,
    int FreeUnits, DateTimeOffset? AsOf)
{
    public static async Task<RackElevation?> LoadAsync(IQuerySession s, string code, DateTimeOffset? asOf,
        CancellationToken ct)
    {
        if (!AssetVocabulary.IsValidTag(code)) return null;
        if (await s.LoadAsync<Place>(Place.StreamId(PlaceKind.Rack, code), ct) is not { Kind: PlaceKind.Rack } rack)
            return null;
        var occupants = await InventoryQueries.InRackAsync(s, rack.Code, ct, asOf);
        var byUnit = new Dictionary<int, Asset>();
        foreach (var a in occupants) foreach (var u in a.Units()) byUnit.TryAdd(u, a);
        var units = Enumerable.Range(1, rack.HeightU ?? 42).Reverse()
            .Select(u => byUnit.TryGetValue(u, out var a)
                ? new RackUnit(u, a.Tag, a.Details.Category, $"{a.Tag} {a.Details.Make} {a.Details.Model}".Trim())
                : new RackUnit(u, null, null, null))
            .ToList();
        return new RackElevation(rack, units, occupants, units.Count(u => u.Tag is null), asOf);
    }

    /// <summary>
    /// The front view as SVG: one row per U, occupants as labelled blocks, free U marked; the words are the caller's
    /// (the page's language).
    /// </summary>
    public string ToSvg(string freeLabel = "free", string? summary = null)
    {
        summary ??= $"{FreeUnits}/{Units.Count} U {freeLabel}";
        const int row = 18, width = 360, left = 34;
        var height = Units.Count * row + 40;
        var svg = new StringBuilder();
        svg.Append($"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width + left + 10} {height}" """ +
            $"""font-family="sans-serif" font-size="11" role="img" aria-label="{Esc(Rack.Code)}">""");
        svg.Append($"""<text x="{left}" y="14" font-size="13" font-weight="bold">""" +
            $"""{Esc(Rack.Code)} · {Esc(Rack.Name)} · {Esc(summary)}</text>""");
        svg.Append($"""<rect x="{left}" y="24" width="{width}" height="{Units.Count * row}" """ +
            $"""fill="#f4f4f4" stroke="#333"/>""");
        var top = Units.Count > 0 ? Units[0].U : 0;
        foreach (var u in Units)
        {
            var y = 24 + (top - u.U) * row;
            svg.Append($"""<text x="{left - 4}" y="{y + 13}" text-anchor="end" fill="#666">{u.U}</text>""");
            if (u.Tag is null)
                svg.Append($"""<text x="{left + 8}" y="{y + 13}" fill="#999">{Esc(freeLabel)}</text>""");
        }
        foreach (var a in Occupants.Where(a => a.Location?.Position is not null))
        {
            var h = Math.Max(1, a.Details.HeightU);
            var upper = a.Location!.Position!.Value + h - 1;
            var y = 24 + (top - upper) * row;
            svg.Append($"""<g><title>{Esc(a.Tag)}</title><rect x="{left + 2}" y="{y + 1}" width="{width - 4}" """ +
                $"""height="{h * row - 2}" rx="3" fill="{Colour(a)}" stroke="#224"/>""");
            svg.Append($"""<text x="{left + 8}" y="{y + 13}" fill="#fff">""" +
                $"""{Esc($"{a.Tag} {a.Details.Make} {a.Details.Model}".Trim())}</text></g>""");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Colour(Asset a) => a.Status switch
    {
        AssetStatus.Faulty => "#b3261e",
        AssetStatus.Maintenance => "#b26a00",
        AssetStatus.Planned => "#6b7280",
        _ => "#1f5fa8",
    };

    private static string Esc(string? s) => WebUtility.HtmlEncode(s ?? "");
}
