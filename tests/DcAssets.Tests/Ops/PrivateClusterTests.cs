using DcAssets.Testing;
using Npgsql;

namespace DcAssets.Tests.Ops;

/// <summary>
/// ops/pg from a checkout in a folder only its owner may enter (a clone under /root, or in mktemp -d):
/// as root the server runs as the postgres user, who could not reach a cluster kept inside it.
/// </summary>
public sealed class PrivateClusterTests : IAsyncLifetime
{
    private readonly DirectoryInfo _private = Directory.CreateTempSubdirectory("dcassets-private-");
    private string Pg => Path.Combine(_private.FullName, "checkout", "ops", "pg");
    private Dictionary<string, string> Env => new() { ["DCASSETS_DATA"] = "" };

    public Task InitializeAsync()
    {
        File.SetUnixFileMode(_private.FullName,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var ops = Path.Combine(TestDatabase.RepoRoot(), "ops");
        Directory.CreateDirectory(Path.Combine(_private.FullName, "checkout", "ops", "lib"));
        foreach (var file in new[] { "pg", "lib/common.sh" })
            File.Copy(Path.Combine(ops, file), Path.Combine(_private.FullName, "checkout", "ops", file));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        var dir = (await OpsScript.RunAsync(Pg, Env, "dir")).Output.Trim();
        await OpsScript.RunAsync(Pg, Env, "stop");
        if (dir.StartsWith('/') && Directory.Exists(dir)) Directory.Delete(dir, true);
        _private.Delete(true);
    }

    [Fact]
    public async Task The_private_cluster_starts_and_answers_from_a_checkout_in_a_mode_700_folder()
    {
        var (exit, output) = await OpsScript.RunAsync(Pg, Env, "start");
        exit.Should().Be(0, output);
        var url = (await OpsScript.RunAsync(Pg, Env, "url")).Output.Trim();
        var unpooled = new NpgsqlConnectionStringBuilder(url) { Pooling = false }.ConnectionString;
        await using var conn = new NpgsqlConnection(unpooled);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select current_database()", conn);
        (await cmd.ExecuteScalarAsync()).Should().Be("dcassets");
    }
}
