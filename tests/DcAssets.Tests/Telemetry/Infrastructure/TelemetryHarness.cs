using System.Diagnostics;
using DcAssets.EventStore;
using DcAssets.EventStore.Tests.Infrastructure;
using DcAssets.Snmp;
using DcAssets.Telemetry;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Profiles;
using DcAssets.Telemetry.Readings;

namespace DcAssets.Tests.Telemetry.Infrastructure;

/// <summary>
/// A fresh database with the asset register and the telemetry slice, one SnmpClient, and helpers to
/// register and configure devices, run pollers (with the product's default options) and read what they appended.
/// </summary>
public sealed class TelemetryHarness : IAsyncLifetime
{
    public static readonly Actor Engineer = new("user-7", "Li Wei", "engineer", EventSources.Ui);
    private readonly TestDatabase _db = new();
    private readonly List<Poller> _pollers = [];

    public EventStore.EventStore Store { get; private set; } = null!;
    public SnmpClient Client { get; } = new();
    public CredentialSealer Sealer { get; } = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    /// <summary>The built-in profiles and the shipped YAML ones (templates/snmp-profiles).</summary>
    public ProfileCatalog Profiles { get; } = ProfileCatalog.Load(Path.Combine(TestDatabase.RepoRoot(), "templates", "snmp-profiles"));

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        Store = await OpenStoreAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var p in _pollers) await p.StopAsync();
        Client.Dispose();
        await Store.DisposeAsync();
        await _db.DisposeAsync();
    }

    /// <summary>Registers the asset (a UPS or precision AC by the profile's kind) unless it is, then configures its polling.</summary>
    public async Task<PollingConfigured> ConfigureAsync(ConfigurePolling c)
    {
        await RegisterAsync(c.AssetId, Profiles.Contains(c.Profile) && Profiles.Get(c.Profile).Kind == DeviceKind.Ac ? "precision_ac" : "ups");
        return await ConfigurePollingHandler.HandleAsync(Store, Engineer, c, Profiles, Sealer);
    }

    public async Task RegisterAsync(string tag, string category)
    {
        using var register = await ProductStore.OpenAsync(_db.ConnectionString);
        await using var q = register.QuerySession();
        if (await q.LoadAsync<DcAssets.Assets.Asset>(DcAssets.Assets.AssetVocabulary.StreamId(tag)) is not null) return;
        await DcAssets.Assets.AssetStream.RegisterAsync(register, Engineer, new DcAssets.Assets.AssetInput { Tag = tag, Category = category }, default);
    }

    /// <summary>Another store on the same database: a node that can lose its database without taking the test's store with it.</summary>
    public async Task<EventStore.EventStore> OpenStoreAsync()
    {
        var options = new EventStoreOptions { ConnectionString = _db.ConnectionString };
        DcAssets.Assets.AssetsSlice.Register(options);
        TelemetrySlice.Register(options);
        return await EventStore.EventStore.CreateAsync(options);
    }

    /// <summary>A poller node with the product's default options (tick, lease derived from the intervals).</summary>
    public async Task<Poller> StartPollerAsync(string node, EventStore.EventStore? store = null)
    {
        var p = new Poller(store ?? Store, Client, Profiles, Sealer, new PollerOptions { NodeId = node });
        _pollers.Add(p);
        await p.StartAsync();
        return p;
    }

    /// <summary>Every event of the telemetry slice, in store order.</summary>
    public async Task<List<StoredEvent>> AllEventsAsync()
    {
        var ids = new List<string>();
        await using (var cmd = Store.DataSource.CreateCommand($"select id from {Store.Schema}.streams order by id"))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) ids.Add(r.GetString(0));
        var all = new List<StoredEvent>();
        await using var q = Store.QuerySession();
        foreach (var id in ids) all.AddRange(await q.Events.FetchStreamAsync(id));
        return all.OrderBy(e => e.Position).ToList();
    }

    public async Task<List<T>> EventsAsync<T>(string? assetId = null)
    {
        var all = await AllEventsAsync();
        return all.Select(e => e.Data).OfType<T>()
            .Where(e => assetId is null || e switch
            {
                IReadingRecorded r => r.AssetId == assetId,
                _ => (string?)e!.GetType().GetProperty("AssetId")?.GetValue(e) == assetId,
            }).ToList();
    }

    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < within)
        {
            if (await condition()) return true;
            await Task.Delay(100);
        }
        return await condition();
    }
}
