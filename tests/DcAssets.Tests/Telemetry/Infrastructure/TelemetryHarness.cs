using System.Diagnostics;
using DcAssets.Testing;
using DcAssets.Snmp;
using DcAssets.Telemetry;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Profiles;
using DcAssets.Telemetry.Readings;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace DcAssets.Tests.Telemetry.Infrastructure;

/// <summary>
/// A fresh database with the asset register (our own store) and the telemetry slice (Marten), one SnmpClient, and
/// helpers to register and configure devices, run pollers (with the product's default options) and read what they
/// appended.
/// </summary>
public sealed class TelemetryHarness : IAsyncLifetime
{
    public static readonly Actor Engineer = new("user-7", "Li Wei", "engineer", EventSources.Ui);
    private readonly TestDatabase _db = new();
    private readonly List<Poller> _pollers = [];

    /// <summary>The history and read models: the register and telemetry.</summary>
    public DocumentStore Store { get; private set; } = null!;

    public AssetLookup Assets => AssetRegister.In(Store);
    public NpgsqlDataSource Db { get; private set; } = null!;
    public SnmpClient Client { get; } = new();
    public CredentialSealer Sealer { get; } = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    /// <summary>The built-in profiles and the shipped YAML ones (templates/snmp-profiles).</summary>
    public ProfileCatalog Profiles { get; } = ProfileCatalog.Load(Path.Combine(TestDatabase.RepoRoot(), "templates", "snmp-profiles"));

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        Store = await ProductStore.OpenAsync(_db.ConnectionString);
        Db = NpgsqlDataSource.Create(_db.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        foreach (var p in _pollers) await p.StopAsync();
        Client.Dispose();
        Store.Dispose();
        await Db.DisposeAsync();
        await _db.DisposeAsync();
    }

    /// <summary>Registers the asset (a UPS or precision AC by the profile's kind) unless it is, then configures its polling.</summary>
    public async Task<PollingConfigured> ConfigureAsync(ConfigurePolling c)
    {
        await RegisterAsync(c.AssetId, Profiles.Contains(c.Profile) && Profiles.Get(c.Profile).Kind == DeviceKind.Ac ? "precision_ac" : "ups");
        return await ConfigurePollingHandler.RunAsync(Store, Engineer, Assets, c, Profiles, Sealer);
    }

    public async Task RegisterAsync(string tag, string category)
    {
        if (await Assets(tag, default) is not null) return;
        await DcAssets.Assets.AssetStream.RegisterAsync(Store, Engineer,
            new DcAssets.Assets.AssetInput { Tag = tag, Category = category }, default);
    }

    /// <summary>A poller holding every poll group (unless told otherwise), with the product's default options.</summary>
    public async Task<Poller> StartPollerAsync(string node, bool holdsEveryGroup = true)
    {
        var p = new Poller(Store, new PollerTables(Db, "dcassets"), Client, Profiles, Sealer,
            new PollerOptions { NodeId = node, HoldsEveryGroup = holdsEveryGroup });
        _pollers.Add(p);
        await p.StartAsync();
        return p;
    }

    /// <summary>Every event of the telemetry slice, in store order.</summary>
    public async Task<IReadOnlyList<IEvent>> AllEventsAsync()
    {
        await using var q = Store.QuerySession();
        return await q.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
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

    /// <summary>The actor a poll or command was recorded by (the header every session of the product stamps).</summary>
    public static string? ActorOf(IEvent e) => EventHeaders.Read(e, EventHeaders.ActorId);

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = Db.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
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
