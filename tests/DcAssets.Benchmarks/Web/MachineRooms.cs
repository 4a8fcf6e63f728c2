using System.Diagnostics;
using DcAssets.Assets;
using DcAssets.Assets.Places;
using DcAssets.Benchmarks.Daemon;
using DcAssets.Identity;
using DcAssets.Snmp;
using DcAssets.Telemetry;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Profiles;
using Marten;

namespace DcAssets.Benchmarks.Web;

/// <summary>
/// What the web group's pages show, appended through the product's store as api's register is: 3 rooms of 20
/// racks of 42 U, 2,400 racked assets (40 to a rack, so a rack view is nearly full), 20 polled UPS standing in
/// the rooms with a reading each, alarms on six of them (three cleared, so the history has both kinds), and the
/// engineers who sign in. Smaller than api's 50,000 assets: a page shows 50 assets or one rack, so a larger
/// register would mostly lengthen the counts, which api measures already.
/// </summary>
internal static class MachineRooms
{
    public const int Rooms = 3, RacksPerRoom = 20, PerRack = 40, Ups = 20, Alarms = 6;
    public const int Racks = Rooms * RacksPerRoom, Assets = Racks * PerRack;
    public const string Password = "bench password 1";

    /// <summary>The asset the asset page shows, a server with a short history, and its rack.</summary>
    public static string ShownAsset => Tag(42);
    public static string ShownRack => RackCode(42 % Racks);

    public const string ShownNote = "fan replaced";

    private static readonly (AssetCategory Category, string Prefix)[] Kinds =
    [
        (AssetCategory.Server, "SRV"), (AssetCategory.Server, "SRV"), (AssetCategory.Server, "SRV"),
        (AssetCategory.Server, "SRV"), (AssetCategory.Server, "SRV"), (AssetCategory.Server, "SRV"),
        (AssetCategory.Storage, "STO"), (AssetCategory.Switch, "SW"), (AssetCategory.Firewall, "FW"),
        (AssetCategory.Pdu, "PDU"),
    ];

    private static readonly string[] Makes = ["Dell", "HPE", "Lenovo", "Huawei", "Inspur"];

    public static string Engineer(int n) => $"engineer{n:00}";

    public static string RackCode(int rack) => $"R{rack / RacksPerRoom + 1:00}-K{rack % RacksPerRoom + 1:00}";

    /// <summary>Asset i stands in rack i mod 60, at U i / 60 + 1 (each rack filled from the bottom).</summary>
    public static string Tag(int i) => $"{Kinds[i % Kinds.Length].Prefix}-{i:00000}";

    public static async Task LoadAsync(IDocumentStore store, int engineers, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var actor = new Actor("bench", "bench", Roles.Admin, EventSources.Import);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using (var s = store.OpenSession(actor))
        {
            s.Events.StartStream(Place.StreamId(PlaceKind.Site, "HQ"), new SiteAdded("HQ", "HQ"));
            for (var room = 1; room <= Rooms; room++)
                s.Events.StartStream(Place.StreamId(PlaceKind.Room, $"R{room:00}"),
                    new RoomAdded($"R{room:00}", $"Machine room {room}", "HQ"));
            for (var rack = 0; rack < Racks; rack++)
                s.Events.StartStream(Place.StreamId(PlaceKind.Rack, RackCode(rack)), new RackAdded(RackCode(rack),
                    "rack", $"R{rack / RacksPerRoom + 1:00}", 42, rack % RacksPerRoom < 10 ? "A" : "B",
                    rack % 10 + 1, 5000));
            await s.SaveChangesAsync(ct);
        }
        for (var batch = 0; batch < Assets; batch += 1000)
        {
            await using var s = store.OpenSession(actor);
            for (var i = batch; i < batch + 1000; i++)
            {
                var rack = RackCode(i % Racks);
                // Warranties from two months ago to two and a half years ahead: the overview counts those ending soon.
                var e = new AssetRegistered(Tag(i),
                    new AssetDetails(Kinds[i % Kinds.Length].Category, Makes[i % Makes.Length], $"Model {i % 37}",
                        $"SN{i:000000}", 1, $"10.{i / 250 % 250}.{i % 250}.10", "IT"),
                    new Location(rack[..3], rack, i / Racks + 1), AssetStatus.InService,
                    today.AddDays(i % 900 - 60), null);
                s.Events.StartStream(AssetVocabulary.StreamId(e.Tag), e);
            }
            await s.SaveChangesAsync(ct);
        }
        await using (var s = store.OpenSession(actor))
        {
            var shown = AssetVocabulary.StreamId(ShownAsset);
            s.Events.Append(shown, new AssetStatusChanged(ShownAsset, AssetStatus.InService, AssetStatus.Maintenance,
                ShownNote));
            s.Events.Append(shown, new AssetStatusChanged(ShownAsset, AssetStatus.Maintenance, AssetStatus.InService,
                "back in service"));
            s.Events.Append(shown, new WarrantyRecorded(ShownAsset, today.AddYears(3), "on-site, next business day"));
            await s.SaveChangesAsync(ct);
        }
        await LoadTelemetryAsync(store, actor, ct);
        for (var n = 1; n <= engineers; n++)
            await UserStream.CreateAsync(store, actor, new CreateUserCommand(Engineer(n), Roles.Engineer, Password),
                ct);
        // The alarm history is an async projection: caught up here, since the host runs no daemon while measured.
        using (var daemon = await store.BuildProjectionDaemonAsync())
        {
            await daemon.StartAllAsync();
            await daemon.WaitForNonStaleData(TimeSpan.FromMinutes(1));
            await daemon.StopAllAsync();
        }
        BenchContext.Note($"{Racks} racks, {Assets} assets, {Ups} UPS and {engineers} engineers loaded "
            + $"in {sw.Elapsed.TotalSeconds:0.0}s");
    }

    /// <summary>
    /// The UPS as the poller leaves them: polling configured, one reading each (the tiles' values), and the alarms
    /// its decisions raised and cleared, appended as the poller appends them.
    /// </summary>
    private static async Task LoadTelemetryAsync(IDocumentStore store, Actor actor, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        await using (var s = store.OpenSession(actor))
        {
            for (var d = 0; d < Ups; d++)
            {
                // UpsReadings names its devices UPS0000…; the register knows them by the same tags.
                var tag = $"UPS{d:D4}";
                s.Events.StartStream(AssetVocabulary.StreamId(tag), new AssetRegistered(tag,
                    new AssetDetails(AssetCategory.Ups, "Eaton", "93PM", $"UPS-SN{d}", 0, $"10.0.9.{d + 1}", "IT"),
                    new Location($"R{d % Rooms + 1:00}"), AssetStatus.InService, null, null));
                s.Events.StartStream(TelemetryStreams.Device(tag), new PollingConfigured(tag, $"10.0.9.{d + 1}",
                    161, SnmpVersion.V2c, BuiltInProfiles.UpsMib, 60, "public"));
            }
            await s.SaveChangesAsync(ct);
        }
        await using (var s = store.OpenSession(ProductStore.Poller()))
        {
            var slot = Poller.Slot(now, TimeSpan.FromSeconds(60));
            for (var d = 0; d < Ups; d++)
            {
                var (stream, reading) = UpsReadings.Event(d, slot, d);
                s.Events.Append(stream, reading);
            }
            for (var d = 0; d < Alarms; d++)
            {
                var (tag, id, raised) = ($"UPS{d:D4}", AlarmDecisions.NewAlarmId(), now.AddHours(-d - 1));
                s.Events.Append(TelemetryStreams.Device(tag), new AlarmRaised(id, tag, "on_battery", FaultLevel.Major,
                    "UPS running on battery", raised, "output_source", 5));
                if (d >= Alarms / 2)
                    s.Events.Append(TelemetryStreams.Device(tag), new AlarmCleared(id, tag, "on_battery",
                        raised.AddMinutes(20), "mains restored", "output_source", 3));
            }
            await s.SaveChangesAsync(ct);
        }
    }
}
