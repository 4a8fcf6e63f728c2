using System.CommandLine;

namespace DcAssets.Cli.Database;

/// <summary><c>dcassets migrate</c>: creates or upgrades the schema, then exits.</summary>
public sealed class MigrateCommand : ICliModule
{
    public Command Build()
    {
        var command = new Command("migrate", "create or upgrade the database schema (idempotent)");
        command.SetAction(async (ParseResult _, CancellationToken ct) =>
        {
            await using var store = await CliStore.OpenAsync(ct);
            using var marten = await CliStore.OpenMartenAsync();
            Console.WriteLine($"schema '{store.Schema}' is up to date");
            return 0;
        });
        return command;
    }
}
