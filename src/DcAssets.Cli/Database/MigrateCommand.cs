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
            using var marten = await CliStore.OpenMartenAsync();
            Console.WriteLine($"schema '{marten.Options.DatabaseSchemaName}' is up to date");
            return 0;
        });
        return command;
    }
}
