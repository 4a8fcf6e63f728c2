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
            // Said apart, so a first start says it made the schema and a later one that it found it.
            bool existed;
            await using (var db = CliStore.OpenDataSource())
            await using (var cmd = db.CreateCommand("select to_regclass(@t) is not null"))
            {
                cmd.Parameters.AddWithValue("t", $"{DcAssetsStore.Schema}.mt_events");
                existed = (bool)(await cmd.ExecuteScalarAsync(ct))!;
            }
            using var marten = await CliStore.OpenMartenAsync();
            Console.WriteLine(existed
                ? $"schema '{marten.Options.DatabaseSchemaName}' is up to date"
                : $"schema '{marten.Options.DatabaseSchemaName}' created");
            return 0;
        });
        return command;
    }
}
