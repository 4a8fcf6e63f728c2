using System.CommandLine;
using DcAssets.Assets.Csv;
using DcAssets.Assets.Inventory;
using DcAssets.Assets.Places;
using DcAssets.Cli.Identity;

namespace DcAssets.Cli.Assets;

/// <summary>
/// <c>dcassets assets import FILE [--dry-run]</c>, <c>assets export</c> and <c>places import FILE</c>.
/// </summary>
public sealed class AssetsCommands : ICliModule
{
    public Command Build()
    {
        var assets = new Command("assets", "the asset register: CSV import and export");
        assets.Subcommands.Add(Import());
        assets.Subcommands.Add(Export());
        assets.Subcommands.Add(Places());
        return assets;
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV in the export's columns (tag is the key)" };
        var dryRun =
            new Option<bool>("--dry-run") { Description = "check every row and list the problems; change nothing" };
        var ifEmpty =
            new Option<bool>("--if-empty") { Description = "import only into an empty register (a first load); " +
                "otherwise say so and change nothing" };
        var command = new Command("import",
            "import assets from CSV: new tags are registered, changed fields become corrections, unchanged rows " +
            "append nothing") { file, dryRun, ifEmpty };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var path = pr.GetValue(file)!;
            if (!path.Exists) throw new IOException($"no file '{path.FullName}'");
            await using var store = await CliStore.OpenMartenAsync();
            // A first load must not undo what people changed since: a register that holds anything is left alone.
            if (pr.GetValue(ifEmpty) && await RegisterSizeAsync(store, ct) is var held and > 0)
            {
                Console.WriteLine($"the register already holds {held} assets; nothing imported");
                return 0;
            }
            using var reader = new StreamReader(path.FullName);
            var progress = new RowProgress();
            var report = await AssetImport.RunAsync(store, CliActor.Current, reader, pr.GetValue(dryRun), progress, ct);
            if (!Console.IsErrorRedirected) Console.Error.WriteLine();
            foreach (var p in report.Problems) Console.Error.WriteLine($"row {p.Row}, {p.Column}: {p.Message}");
            if (!report.Ok)
            {
                Console.Error.WriteLine($"error: {report.Problems.Count} problem(s); nothing was imported");
                return 1;
            }
            Console.WriteLine($"{(report.DryRun ? "dry run: would register" : "registered")} {report.Registered}, " +
                $"changed {report.Changed}, unchanged {report.Unchanged} ({report.Events} events) " +
                $"of {report.Rows} rows");
            return 0;
        });
        return command;
    }

    private static Command Export()
    {
        var output = new Option<FileInfo>("--out") { Description = "write to this file instead of stdout" };
        var command = new Command("export", "write the whole register as CSV (the import's columns)") { output };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            await using var store = await CliStore.OpenMartenAsync();
            var target = pr.GetValue(output);
            await using var writer = target is null ? Console.Out : new StreamWriter(target.FullName);
            await AssetCsv.WriteAsync(InventoryQueries.AllAsync(store.QuerySession(), new InventoryFilter(), ct),
                writer, ct);
            return 0;
        });
        return command;
    }

    private static async Task<long> RegisterSizeAsync(Marten.IDocumentStore store, CancellationToken ct)
    {
        await using var q = store.QuerySession();
        return (await InventoryQueries.FindAsync(q, new InventoryFilter { PageSize = 1 }, ct)).Total;
    }

    private static Command Places()
    {
        var file = new Argument<FileInfo>("file")
        {
            Description = "CSV: kind,code,name,parent,height_u,row,position_in_row,power_budget_w"
        };
        var command = new Command("places",
            "add sites, rooms and racks from CSV (existing ones are left alone)") { file };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var path = pr.GetValue(file)!;
            if (!path.Exists) throw new IOException($"no file '{path.FullName}'");
            await using var store = await CliStore.OpenMartenAsync();
            using var reader = new StreamReader(path.FullName);
            var (added, existing) = await PlaceImport.RunAsync(store, CliActor.Current, reader, ct);
            Console.WriteLine($"places: {added} added, {existing} already there");
            return 0;
        });
        return command;
    }
}

/// <summary>
/// Import progress on stderr, written as it is reported (Progress&lt;T&gt; would post it to the thread pool, out of
/// order).
/// </summary>
internal sealed class RowProgress : IProgress<(int Done, int Total)>
{
    public void Report((int Done, int Total) p)
    {
        // A live counter on a terminal; logs and pipes get the summary line only.
        if (!Console.IsErrorRedirected && (p.Done % 50 == 0 || p.Done == p.Total))
            Console.Error.Write($"\r{p.Done}/{p.Total} rows");
    }
}
