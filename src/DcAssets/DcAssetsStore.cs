using DcAssets.EventStore;

namespace DcAssets;

/// <summary>
/// How every DcAssets process (web host, CLI, tests) builds its event store: one place that knows
/// where the database is and which slices contribute events and projections.
/// </summary>
public static class DcAssetsStore
{
    public const string ConnectionVariable = "DCASSETS_DB";
    public const string ConnectionKey = "ConnectionStrings:DcAssets";

    /// <summary>DCASSETS_DB wins over the configuration key, so scripts can point any process anywhere.</summary>
    public static string ResolveConnectionString(Func<string, string?>? config = null)
    {
        var cs = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (string.IsNullOrWhiteSpace(cs)) cs = config?.Invoke(ConnectionKey);
        if (string.IsNullOrWhiteSpace(cs))
            throw new InvalidOperationException($"no database configured: set {ConnectionVariable} or {ConnectionKey} (ops/run and ops/dcassets set it for the private cluster)");
        return cs;
    }

    public static EventStoreOptions Options(string connectionString, string schema = "dcassets")
    {
        var options = new EventStoreOptions { ConnectionString = connectionString, Schema = schema };
        // The seal key lives outside the database: a file or an environment variable (see README).
        options.Sealing = EventStore.Integrity.SealingOptions.FromEnvironment();
        // Each slice adds its event names and projections here as it lands.
        Identity.IdentitySlice.Register(options);
        Assets.AssetsSlice.Register(options);
        Telemetry.TelemetrySlice.Register(options);
        return options;
    }

    public static Task<EventStore.EventStore> OpenAsync(string connectionString, CancellationToken ct = default) =>
        EventStore.EventStore.CreateAsync(Options(connectionString), ct);
}
