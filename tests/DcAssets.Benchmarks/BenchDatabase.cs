using Npgsql;

namespace DcAssets.Benchmarks;

/// <summary>A throw-away database on the benchmark server, so every run starts empty.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _server;

    private BenchDatabase(string server, string name, string cs)
    {
        _server = server;
        Name = name;
        ConnectionString = cs;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(string server, string prefix)
    {
        var name = $"bench_{prefix}_{Guid.NewGuid():N}"[..30];
        await AdminAsync(server, $"create database {name}");
        // Baselines get the pool settings the store gives itself: prepared statements, no reset on return.
        var cs = new NpgsqlConnectionStringBuilder(server)
            { Database = name, MaxPoolSize = 100, MaxAutoPrepare = 64, NoResetOnClose = true }.ConnectionString;
        return new BenchDatabase(server, name, cs);
    }

    public async Task ExecAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("KEEPDB") is null)
            await AdminAsync(_server, $"drop database if exists {Name} with (force)");
    }

    private static async Task AdminAsync(string server, string sql)
    {
        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false };
        await using var conn = new NpgsqlConnection(admin.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
