using System.Diagnostics;
using Npgsql;

namespace DcAssets.EventStore.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database for one test class, on the real server ops/test started
/// (DCASSETS_DB). Run outside ops/test, it starts the private cluster itself.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private static readonly Lazy<string> Server = new(ResolveServer);

    public string Name { get; } = "t_" + Guid.NewGuid().ToString("N")[..16];
    public string ConnectionString { get; private set; } = "";

    public static string ServerConnectionString => Server.Value;

    public async Task InitializeAsync()
    {
        var admin = new NpgsqlConnectionStringBuilder(Server.Value) { Database = "postgres", Pooling = false };
        await using (var conn = new NpgsqlConnection(admin.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"create database {Name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(Server.Value) { Database = Name }.ConnectionString;
    }

    /// <summary>A copy of this database (which nobody may be connected to), for tests that each spoil their own.</summary>
    public async Task<TestDatabase> CloneAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var clone = new TestDatabase();
        var admin = new NpgsqlConnectionStringBuilder(Server.Value) { Database = "postgres", Pooling = false };
        await using (var conn = new NpgsqlConnection(admin.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"create database {clone.Name} template {Name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        clone.ConnectionString = new NpgsqlConnectionStringBuilder(Server.Value) { Database = clone.Name }.ConnectionString;
        return clone;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var admin = new NpgsqlConnectionStringBuilder(Server.Value) { Database = "postgres", Pooling = false };
        await using var conn = new NpgsqlConnection(admin.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists {Name} with (force)", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task ExecAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static string ResolveServer()
    {
        var cs = Environment.GetEnvironmentVariable("DCASSETS_DB");
        if (!string.IsNullOrWhiteSpace(cs)) return cs;
        var pg = Path.Combine(RepoRoot(), "ops", "pg");
        Run(pg, "start");
        return Run(pg, "url").Trim();
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DcAssets.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static string Run(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {args} failed: {p.StandardError.ReadToEnd()}");
        return output;
    }
}
