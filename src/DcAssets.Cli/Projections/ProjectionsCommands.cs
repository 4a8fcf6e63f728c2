using System.CommandLine;
using System.Globalization;
using DcAssets.EventStore.Daemon;

namespace DcAssets.Cli.Projections;

/// <summary><c>dcassets projections status|rebuild|resume</c>: what the daemon is doing, and putting a model right.</summary>
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
            await using var store = await CliStore.OpenAsync(ct);
            var rows = await new ProgressTable(store.DataSource, store.Schema).StatusAsync(ct);
            Console.WriteLine($"{"NAME",-24} {"STATE",-10} {"POSITION",12} {"HEAD",12} {"BEHIND",10} {"LAG(s)",8}  OWNER / ERROR");
            foreach (var r in rows)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Name,-24} {r.State,-10} {r.Position,12} {r.Head,12} {r.EventsBehind,10} {r.SecondsBehind,8:0.0}  {(r.LastError is null ? r.Owner : $"{r.LastError} (at position {r.ErrorPosition})")}"));
            if (rows.Count == 0) Console.WriteLine("(no async projection has run yet)");
            return 0;
        });
        return status;
    }

    private static Command Rebuild()
    {
        var name = new Argument<string>("name") { Description = "the projection to rebuild" };
        var rebuild = new Command("rebuild", "replay a projection into a shadow table and swap it in, while the system runs") { name };
        rebuild.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            await using var store = await CliStore.OpenAsync(ct);
            var consumer = Find(store, pr.GetValue(name)!);
            if (consumer.Table is null) throw new ArgumentException($"'{consumer.Name}' keeps no documents and cannot be rebuilt");
            var bar = new ProgressBar($"rebuilding {consumer.Name}");
            await using (var lease = await ProjectionLease.TryAcquireAsync(store, consumer.Name, ct))
            {
                if (lease is not null)
                {
                    var position = await new ProjectionRebuild(store, consumer).RunAsync(bar, ct);
                    bar.Done($"rebuilt {consumer.Name} up to position {position}");
                    return 0;
                }
            }
            // A node runs it: ask that node to rebuild, and follow its progress.
            var progress = new ProgressTable(store.DataSource, store.Schema);
            await progress.RequestRebuildAsync(consumer.Name, ct);
            Console.Error.WriteLine($"{consumer.Name} runs on another node; asked it to rebuild");
            while (true)
            {
                await Task.Delay(250, ct);
                var row = (await progress.StatusAsync(ct)).Single(r => r.Name == consumer.Name);
                if (row.RebuildPosition is { } at && row.RebuildTarget is { } target) bar.Report((at, target));
                if (await RebuildEndedAsync(store, consumer.Name, ct) is { } ended)
                {
                    // The node clears the request whether the rebuild was swapped in or failed.
                    if (ended.Failed is { } error) throw new InvalidOperationException($"{consumer.Name}: {error}");
                    bar.Done($"rebuilt {consumer.Name} up to position {(await progress.ReadAsync(consumer.Name, ct)).Position}");
                    return 0;
                }
            }
        });
        return rebuild;
    }

    private static Command Resume()
    {
        var name = new Argument<string>("name") { Description = "the faulted projection" };
        var resume = new Command("resume", "clear a projection's fault so the daemon retries it") { name };
        resume.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            await using var store = await CliStore.OpenAsync(ct);
            var consumer = Find(store, pr.GetValue(name)!);
            await new ProgressTable(store.DataSource, store.Schema).ResumeAsync(consumer.Name, ct);
            Console.WriteLine($"{consumer.Name} resumed");
            return 0;
        });
        return resume;
    }

    private static IFeedConsumer Find(EventStore.EventStore store, string name)
    {
        var all = ProjectionDaemon.DefaultConsumers(store);
        return all.FirstOrDefault(c => c.Name == name)
               ?? throw new ArgumentException($"no async projection is named '{name}'; known: {string.Join(", ", all.Select(c => c.Name).DefaultIfEmpty("(none)"))}");
    }

    /// <summary>Null while the request stands; then the failure the node recorded, if the rebuild failed.</summary>
    private sealed record RebuildEnd(string? Failed);

    private static async Task<RebuildEnd?> RebuildEndedAsync(EventStore.EventStore store, string name, CancellationToken ct)
    {
        await using var cmd = store.DataSource.CreateCommand(
            $"select rebuild_requested_at is null, case when state = 'faulted' and last_error like 'rebuild failed:%' then last_error end from {store.Schema}.projection_progress where name = $1");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = name });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct) || !r.GetBoolean(0)) return null;
        return new RebuildEnd(r.IsDBNull(1) ? null : r.GetString(1));
    }
}
