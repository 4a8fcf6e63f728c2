using System.Text.Json;
using Marten;

namespace DcAssets.Assets.Csv;

public sealed record ImportReport(bool DryRun, int Rows, int Registered, int Changed, int Unchanged, int Events,
    IReadOnlyList<ImportProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// CSV import keyed by tag. Every row is decided first; if any row has a problem nothing is written
/// and every problem is reported. Otherwise all events go in one transaction, so a rerun of the same
/// file appends nothing.
/// </summary>
public static class AssetImport
{
    public static async Task<ImportReport> RunAsync(IDocumentStore store, Actor actor, TextReader file, bool dryRun,
        IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var problems = new List<ImportProblem>();
        var rows = AssetCsv.Read(file, problems);
        foreach (var dup in rows.Where(r => r.Input.Tag is not null).GroupBy(r => r.Input.Tag!.ToUpperInvariant())
            .Where(g => g.Count() > 1))
            foreach (var r in dup.Skip(1))
                problems.Add(new ImportProblem(r.Line, "tag",
                    $"tag '{r.Input.Tag}' appears again (first on line {dup.First().Line})"));
        // A bad header or a broken file says nothing useful about the rows: stop there.
        if (problems.Any(p => p.Row <= 1)) return new ImportReport(dryRun, rows.Count, 0, 0, 0, 0, problems);
        // Rows with columns that could not be read are still decided, to find their other problems; what the decision
        // says about those columns (read as empty) is left out, and such rows never count as occupants for later rows.
        var unreadable = problems.GroupBy(p => p.Row)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Column).ToHashSet());

        // A real run takes every rack its rows name, so no other change fills their units between decision and save.
        await using var s = store.OpenSession(actor with { Source = EventSources.Import });
        await Racks.RackLock.TakeAsync(s, dryRun ? [] : rows.Select(r => r.Input.Rack), ct);
        // Rows decided earlier in the file count as occupants for later ones.
        var planned = new Dictionary<string, Asset>(StringComparer.OrdinalIgnoreCase);
        int registered = 0, changed = 0, unchanged = 0, events = 0, done = 0;
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report((done++, rows.Count));
            var unread = unreadable.GetValueOrDefault(row.Line);
            try
            {
                var (current, version) = await AssetStream.LoadAsync(s, row.Input.Tag ?? "", ct: ct);
                var w = await AssetStream.WhereaboutsAsync(s, row.Input.Room, row.Input.Rack, ct);
                var occupants = w.RackOccupants.Where(o => !planned.ContainsKey(o.Tag))
                    .Concat(planned.Values.Where(p =>
                        string.Equals(p.Location?.Rack, w.Rack?.Code, StringComparison.OrdinalIgnoreCase))).ToList();
                var decided = ReconcileAsset.Decide(current, row.Input, w with { RackOccupants = occupants });
                if (unread is not null) continue;
                if (decided.Count == 0) { unchanged++; continue; }
                if (current is null)
                {
                    registered++;
                    s.Events.StartStream(AssetVocabulary.StreamId(row.Input.Tag!), [.. decided]);
                }
                else { changed++; s.Events.Append(current.Id, version + decided.Count, [.. decided]); }
                events += decided.Count;
                planned[row.Input.Tag!] = decided.Aggregate(current, (a, e) => AssetFold.Next(a, e))!;
            }
            catch (CommandRejected r)
            {
                foreach (var (field, messages) in r.Errors)
                {
                    var column = JsonNamingPolicy.SnakeCaseLower.ConvertName(field);
                    if (unread?.Contains(column) == true) continue;
                    foreach (var m in messages) problems.Add(new ImportProblem(row.Line, column, m));
                }
            }
        }
        progress?.Report((done, rows.Count));
        if (problems.Count == 0 && !dryRun) await s.SaveChangesAsync(ct);
        return problems.Count > 0
            ? new ImportReport(dryRun, rows.Count, 0, 0, 0, 0, [.. problems.OrderBy(p => p.Row)])
            : new ImportReport(dryRun, rows.Count, registered, changed, unchanged, events, problems);
    }
}
