using DcAssets.Snmp;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Profiles;

namespace DcAssets.Web.Telemetry;

/// <summary>
/// This node's poller, one per host: Wolverine's poll-group agents hand it its groups, the telemetry service
/// starts and stops it. Configuration: Telemetry:Enabled (DCASSETS_TELEMETRY=off turns it off: the node then
/// offers no poll group), Telemetry:NodeId (the poller's name in the history).
/// </summary>
internal sealed class PollerNode : IAsyncDisposable
{
    private readonly SnmpClient _client = new();
    private readonly Npgsql.NpgsqlDataSource _db;

    public PollerNode(Marten.IDocumentStore store, DcAssetsDatabase database, ProfileCatalog profiles,
        IConfiguration config, ILogger<PollerNode> log)
    {
        Enabled = !string.Equals(config["DCASSETS_TELEMETRY"], "off", StringComparison.OrdinalIgnoreCase) &&
            !string.Equals(config["Telemetry:Enabled"], "false", StringComparison.OrdinalIgnoreCase);
        var sealer = CredentialSealer.FromEnvironment();
        if (Enabled && sealer is null)
            log.LogWarning("no credential key configured ({Var}): SNMPv3 devices cannot be polled",
                CredentialSealer.KeyFileVariable);
        // Poll requests keep a plain table on a data source of their own (the database Marten uses).
        _db = new Npgsql.NpgsqlDataSourceBuilder(database.ConnectionString) { Name = "dcassets-pollers" }.Build();
        Poller = new Poller(store, new PollerTables(_db, store.Options.DatabaseSchemaName), _client, profiles,
            sealer, new PollerOptions
            {
                NodeId = config["Telemetry:NodeId"] ?? new PollerOptions().NodeId,
                Log = m => log.LogInformation("{Message}", m),
            });
    }

    public bool Enabled { get; }

    public Poller Poller { get; }

    public async ValueTask DisposeAsync()
    {
        await Poller.DisposeAsync();
        _client.Dispose();
        await _db.DisposeAsync();
    }
}
