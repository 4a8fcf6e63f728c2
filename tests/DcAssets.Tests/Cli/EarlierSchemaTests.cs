using DcAssets.Testing;

namespace DcAssets.Tests.Cli;

/// <summary>A database written by the product's earlier store is refused, with one line saying how to start afresh.</summary>
public sealed class EarlierSchemaTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Migrate_refuses_a_database_of_the_earlier_schema_in_one_line_and_changes_nothing()
    {
        // What the earlier store left: its events table and its daemon's progress table.
        await db.ExecAsync("""
            create schema dcassets;
            create table dcassets.events (seq bigint primary key);
            create table dcassets.projection_progress (name text primary key);
            """);

        var (exit, output, err) = CliProcess.Run(db.ConnectionString, "migrate");

        exit.Should().Be(1, output);
        err.Trim().Split('\n').Should().ContainSingle().Which.Should()
            .Contain("holds the earlier DcAssets schema").And.Contain("drop schema dcassets cascade");
        (await db.ScalarAsync<bool>("select to_regclass('dcassets.mt_events') is null")).Should().BeTrue();
    }
}
