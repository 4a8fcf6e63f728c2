using System.Globalization;
using CsvHelper;
using Marten;

namespace DcAssets.Assets.Places;

/// <summary>
/// Sites, rooms and racks from CSV (kind,code,name,parent,height_u,row,position_in_row,power_budget_w), parents first.
/// Places that already exist are left alone, so the file can be loaded again.
/// </summary>
public static class PlaceImport
{
    public static async Task<(int Added, int Existing)> RunAsync(IDocumentStore store, Actor actor, TextReader file,
        CancellationToken ct)
    {
        using var csv = CsvReader.Create(file,
            new CsvReaderOptions { TrimWhitespace = true, TrackLineNumbers = true, SkipEmptyLines = true }, true);
        var header = csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        int added = 0, existing = 0;
        while (csv.Read())
        {
            var line = csv.LineNumber;
            string? F(string name) =>
                Array.IndexOf(header, name) is >= 0 and var i && i < csv.FieldCount
                ? AssetVocabulary.Clean(csv.GetString(i)) : null;
            int? N(string name) => F(name) is { } t ? int.TryParse(t, CultureInfo.InvariantCulture, out var n) ? n
                : throw CommandRejected.Field(name, $"line {line}: '{t}' is not a whole number") : null;
            if (!AssetVocabulary.TryParse<PlaceKind>(F("kind"), out var kind))
                throw CommandRejected.Field("kind", $"line {line}: kind must be site, room or rack");
            var code = F("code") ?? "";
            if (!AssetVocabulary.IsValidTag(code))
                throw CommandRejected.Field("code", $"line {line}: a code is {AssetVocabulary.TagRule}");
            var id = Place.StreamId(kind, code);
            await using var s = store.OpenSession(actor with { Source = EventSources.Import });
            if (await s.Events.FetchStreamStateAsync(id, ct) is not null) { existing++; continue; }
            var parent = F("parent");
            await (kind switch
            {
                PlaceKind.Site => AddPlace.Handle(new AddSite(code, F("name")), s, ct),
                PlaceKind.Room => AddPlace.Handle(new AddRoom(code, F("name"), parent), s, ct),
                _ => AddPlace.Handle(new AddRack(code, F("name"), parent, N("height_u"), F("row"), N("position_in_row"),
                    N("power_budget_w")), s, ct),
            });
            added++;
        }
        return (added, existing);
    }
}
