using System.CommandLine;
using System.Globalization;
using DcAssets.Projections;

namespace DcAssets.Cli.Projections;

/// <summary>
/// <c>dcassets projections status|rebuild|resume</c>: what Marten's daemons are doing with the async read models,
/// and putting one right.
/// </summary>
public sealed class ProjectionsCommands : ICliModule
{
    public Command Build()
    {
        var command = new Command("projections", "async read models: state, lag, rebuilds");
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Rebuild());
        command.Subcommands.Add(Resume());
        return command;
    }

    private static Command Status()
    {
        var status = new Command("status", "every async projection's state, position and lag");
        status.SetAction(async (ParseResult _, CancellationToken ct) =>
        {
            await using var db = CliStore.OpenDataSource();
            using var store = await CliStore.OpenMartenAsync();
            var rows = (await ProjectionBoard.StatusAsync(store, db, ct)).Select(r =>
                    (r.Name, r.State, r.Position, r.Head, r.EventsBehind, r.SecondsBehind,
                     Detail: r.LastError is null ? r.Owner : $"{r.LastError} (at position {r.ErrorPosition})"))
                .OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
            Console.WriteLine(
                $"{"NAME",-24} {"STATE",-11} {"POSITION",12} {"HEAD",12} {"BEHIND",10} {"LAG(s)",8}  OWNER / ERROR");
            foreach (var r in rows)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Name,-24} {r.State,-11} {r.Position,12} {r.Head,12} {r.EventsBehind,10} " +
                    $"{r.SecondsBehind,8:0.0}  {r.Detail}"));
            if (rows.Count == 0) Console.WriteLine("(no async projection has run yet)");
            return 0;
        });
        return status;
    }

    private static Command Rebuild()
    {
        var name = new Argument<string>("name") { Description = "the projection to rebuild" };
        var rebuild = new Command("rebuild",
            "replay a projection from the first event and put its documents right, while the system runs") { name };
        rebuild.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            await using var db = CliStore.OpenDataSource();
            using var store = await CliStore.OpenMartenAsync();
            var projection = Find(store, pr.GetValue(name)!);
            var bar = new ProgressBar($"rebuilding {projection}");
            var requests = await ProjectionRequests.EnsureAsync(db, store.Options.DatabaseSchemaName, ct);
            if (await requests.RunningNodeAsync(projection, ct) is not { } node)
            {
                // No node runs it: this process rebuilds it with a daemon of its own.
                using var daemon = await store.BuildProjectionDaemonAsync();
                var position =
                    await ProjectionWork.RebuildAsync(store, db, daemon, projection, bar, null, ct);
                await daemon.StopAllAsync();
                bar.Done($"rebuilt {projection} up to position {position}");
                return 0;
            }
            // A node runs it: ask that node to rebuild, and follow its progress.
            await requests.RequestAsync(projection, ProjectionWork.Rebuild, ct);
            Console.Error.WriteLine($"{projection} runs on {node}; asked it to rebuild");
            while (true)
            {
                await Task.Delay(250, ct);
                var (finished, error, target) = await requests.ReadAsync(projection, ProjectionWork.Rebuild, ct);
                var position = await ProjectionWork.PositionAsync(store, db, projection, ct);
                if (target is { } t) bar.Report((Math.Min(position, t), t));
                if (!finished) continue;
                if (error is not null) throw new InvalidOperationException($"{projection}: {error}");
                if (target is { } done) bar.Report((done, done));
                bar.Done($"rebuilt {projection} up to position {position}");
                return 0;
            }
        });
        return rebuild;
    }

    private static Command Resume()
    {
        var name = new Argument<string>("name") { Description = "the faulted projection" };
        var resume = new Command("resume", "clear a projection's fault so the daemon runs it again") { name };
        resume.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            await using var db = CliStore.OpenDataSource();
            using var store = await CliStore.OpenMartenAsync();
            var projection = Find(store, pr.GetValue(name)!);
            var requests = await ProjectionRequests.EnsureAsync(db, store.Options.DatabaseSchemaName, ct);
            // The fault is cleared in any case; a node running the daemon is asked to start the projection again.
            await ProjectionWork.ClearFaultAsync(store, db, projection, ct);
            if (await requests.RunningNodeAsync(projection, ct) is not null)
                await requests.RequestAsync(projection, ProjectionWork.Resume, ct);
            Console.WriteLine($"{projection} resumed");
            return 0;
        });
        return resume;
    }

    private static string Find(Marten.IDocumentStore store, string name)
    {
        var all = ProjectionBoard.Names(store);
        return all.FirstOrDefault(n => n == name) ?? throw new ArgumentException(
            $"no async projection is named '{name}'; known: {string.Join(", ", all.DefaultIfEmpty("(none)"))}");
    }
}
