namespace DcAssets.Cli;

/// <summary>The store every command works on: DCASSETS_DB, the same database ops/run uses.</summary>
internal static class CliStore
{
    /// <summary>The database for what Marten does not keep (projection requests), named for Npgsql's metrics.</summary>
    public static Npgsql.NpgsqlDataSource OpenDataSource() =>
        new Npgsql.NpgsqlDataSourceBuilder(DcAssetsStore.ResolveConnectionString()) { Name = DcAssetsStore.Schema }
            .Build();

    /// <summary>
    /// The Marten store as it is, its schema untouched (for checking). Its async projections run in the web nodes'
    /// daemons (a rebuild builds a daemon of its own), which Marten is
    /// told so it does not warn on standard output that they would not run.
    /// </summary>
    public static Marten.DocumentStore OpenMarten() =>
        Marten.DocumentStore.For(o =>
        {
            DcAssetsStore.ConfigureMarten(o, DcAssetsStore.ResolveConnectionString());
            o.Projections.AsyncMode = JasperFx.Events.Daemon.DaemonMode.ExternallyManaged;
        });

    /// <summary>
    /// The Marten store with its schema brought up to date first: the tamper-evidence trigger must exist before the
    /// first event is appended. A database of the earlier schema is refused.
    /// </summary>
    public static async Task<Marten.DocumentStore> OpenMartenAsync()
    {
        await using (var db = OpenDataSource()) await DcAssetsStore.RefuseEarlierSchemaAsync(db);
        var store = OpenMarten();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return store;
    }
}
