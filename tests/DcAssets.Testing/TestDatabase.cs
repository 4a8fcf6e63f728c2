using Npgsql;
using Xunit;

namespace DcAssets.Testing;

/// <summary>
/// A fresh PostgreSQL database for one test class (use it as an xunit class fixture), created on the server
/// named by DCASSETS_DB and dropped with force at the end. Tests never start or stop the server.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public const string ServerVariable = "DCASSETS_DB";

    public string Name { get; } = "t_" + Guid.NewGuid().ToString("N")[..16];
    public string ConnectionString { get; private set; } = "";

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set: give it the Npgsql connection string of a running PostgreSQL server");

    public Task InitializeAsync() => CreateAsync(template: null);

    /// <summary>A copy of this database, for tests that each spoil their own. Nobody may be connected to it.</summary>
    public async Task<TestDatabase> CloneAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var clone = new TestDatabase();
        await clone.CreateAsync(template: Name);
        return clone;
    }

    /// <summary>The checkout's root folder (where DcAssets.sln is), for scripts and files the tests use.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DcAssets.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"drop database if exists {Name} with (force)");
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

    private async Task CreateAsync(string? template)
    {
        await AdminAsync($"create database {Name}{(template is null ? "" : $" template {template}")}");
        ConnectionString =
            new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = Name }.ConnectionString;
    }

    private static async Task AdminAsync(string sql)
    {
        var admin = new NpgsqlConnectionStringBuilder(ServerConnectionString)
        {
            Database = "postgres", Pooling = false,
        };
        await using var conn = new NpgsqlConnection(admin.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
