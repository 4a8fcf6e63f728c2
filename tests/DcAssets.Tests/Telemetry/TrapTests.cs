using System.Net;
using DcAssets.Snmp;
using DcAssets.Telemetry;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Readings;
using DcAssets.Telemetry.Traps;
using DcAssets.Tests.Telemetry.Infrastructure;

namespace DcAssets.Tests.Telemetry;

/// <summary>
/// Traps sent with net-snmp's snmptrap to our listener become events and trigger a poll. Three units
/// answer on one address (as the demo's simulators do): ups-t1 and crac-t1, and ups-t2, whose traps carry
/// the community "row-b".
/// </summary>
public sealed class TrapTests : IAsyncLifetime
{
    private readonly SimulatedDevice _sim = new();
    private readonly TelemetryHarness _h = new();
    private SnmpTrapListener _listener = null!;
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private Poller _poller = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_sim.InitializeAsync(), _h.InitializeAsync());
        // An hourly interval: the only reading after the first comes from a trap.
        await _h.ConfigureAsync(new ConfigurePolling("ups-t1", "127.0.0.1", "ups-mib", _sim.Port, IntervalSeconds: 3600));
        await _h.ConfigureAsync(new ConfigurePolling("ups-t2", "127.0.0.1", "ups-mib", _sim.Port, IntervalSeconds: 3600, TrapCommunity: "row-b"));
        await _h.ConfigureAsync(new ConfigurePolling("crac-t1", "127.0.0.1", "liebert-ac", _sim.Port, IntervalSeconds: 3600));
        _poller = await _h.StartPollerAsync("node-1");
        (await TelemetryHarness.EventuallyAsync(async () => (await _h.EventsAsync<UpsReadingRecorded>()).Count == 2
            && (await _h.EventsAsync<AcReadingRecorded>()).Count == 1, TimeSpan.FromSeconds(10))).Should().BeTrue();
        _listener = new SnmpTrapListener(new IPEndPoint(IPAddress.Loopback, 0));
        _receiving = new TrapReceiver(_h.Store, _listener, _poller).RunAsync(_stop.Token);
    }

    private async Task<bool> TrapPolledAsync(string assetId) =>
        await TelemetryHarness.EventuallyAsync(async () => (await _h.AllEventsAsync()).Any(e => e.Data is IReadingRecorded r && r.AssetId == assetId && r.Trigger == PollTriggers.Trap),
            TimeSpan.FromSeconds(5));

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listener.DisposeAsync();
        await _receiving;
        await _h.DisposeAsync();
        await _sim.DisposeAsync();
    }

    private string Listener => $"udp:127.0.0.1:{_listener.LocalEndPoint.Port}";

    private async Task<List<TrapReceived>> TrapsAsync() => await _h.EventsAsync<TrapReceived>();

    [Fact]
    public async Task A_v2c_on_battery_trap_is_recorded_on_the_device_stream_and_polls_the_device_at_once()
    {
        var r = await SimulatedDevice.RunAsync("snmptrap", "-v", "2c", "-c", "public", Listener, "",
            "1.3.6.1.2.1.33.2.1", "1.3.6.1.2.1.33.1.2.3.0", "i", "45", "1.3.6.1.2.1.33.1.2.2.0", "i", "12");
        r.Code.Should().Be(0, r.Err);

        (await TrapPolledAsync("ups-t1")).Should().BeTrue("the trap triggers an immediate poll");
        var trap = (await TrapsAsync()).Should().ContainSingle().Subject;
        trap.AssetId.Should().Be("ups-t1");
        trap.Kind.Should().Be(TrapKind.UpsOnBattery);
        trap.TrapOid.Should().Be("1.3.6.1.2.1.33.2.1");
        trap.Objects.Should().Contain(o => o.Oid == "1.3.6.1.2.1.33.1.2.3.0" && o.Value == "45");

        await using var q = _h.Store.QuerySession();
        var deviceStream = await q.Events.FetchStreamAsync(TelemetryStreams.Device("ups-t1"));
        deviceStream.Should()
            .Contain(e => e.Data is TrapReceived && EventHeaders.Read(e, EventHeaders.Source) == "trap");
    }

    [Fact]
    public async Task A_v1_trap_is_matched_in_its_enterprise_and_specific_form()
    {
        var r = await SimulatedDevice.RunAsync("snmptrap", "-v", "1", "-c", "public", Listener,
            "1.3.6.1.2.1.33.2", "127.0.0.1", "6", "3", "", "1.3.6.1.2.1.33.1.6.2.1.2.7", "o", "1.3.6.1.2.1.33.1.6.3.8");
        r.Code.Should().Be(0, r.Err);
        (await TelemetryHarness.EventuallyAsync(async () => (await TrapsAsync()).Count == 1, TimeSpan.FromSeconds(5))).Should().BeTrue();
        var trap = (await TrapsAsync()).Single();
        trap.Kind.Should().Be(TrapKind.UpsAlarmAdded);
        trap.Version.Should().Be("v1");
        (await TrapPolledAsync("ups-t1")).Should().BeTrue();
    }

    [Fact]
    public async Task A_liebert_condition_trap_is_matched_to_the_ac_on_its_address_and_polls_it()
    {
        var r = await SimulatedDevice.RunAsync("snmptrap", "-v", "2c", "-c", "public", Listener, "",
            "1.3.6.1.4.1.476.1.42.3.3.0.1", "1.3.6.1.4.1.476.1.42.3.2.3.1.2.1", "o", "1.3.6.1.4.1.476.1.42.3.2.1.1");
        r.Code.Should().Be(0, r.Err);
        (await TrapPolledAsync("crac-t1")).Should().BeTrue("the condition trap triggers an immediate poll of the AC");
        var trap = (await TrapsAsync()).Should().ContainSingle().Subject;
        trap.AssetId.Should().Be("crac-t1");
        trap.Kind.Should().Be(TrapKind.AcConditionAdded);
        (await _h.EventsAsync<AcReadingRecorded>("crac-t1")).Should().Contain(e => e.Trigger == PollTriggers.Trap);
        (await _h.EventsAsync<UpsReadingRecorded>()).Should().NotContain(e => e.Trigger == PollTriggers.Trap);
    }

    [Fact]
    public async Task Two_ups_units_behind_one_address_are_told_apart_by_the_traps_community()
    {
        var r = await SimulatedDevice.RunAsync("snmptrap", "-v", "2c", "-c", "row-b", Listener, "", "1.3.6.1.2.1.33.2.1");
        r.Code.Should().Be(0, r.Err);
        (await TrapPolledAsync("ups-t2")).Should().BeTrue();
        (await TrapsAsync()).Should().ContainSingle().Which.AssetId.Should().Be("ups-t2");

        // ups-t1 sends with the ordinary community; ups-t2, configured with another, is not its sender.
        r = await SimulatedDevice.RunAsync("snmptrap", "-v", "2c", "-c", "public", Listener, "", "1.3.6.1.2.1.33.2.1");
        r.Code.Should().Be(0, r.Err);
        (await TrapPolledAsync("ups-t1")).Should().BeTrue();
        (await TrapsAsync()).Select(t => t.AssetId).Should().Equal("ups-t2", "ups-t1");
        (await _h.EventsAsync<UpsReadingRecorded>("ups-t2")).Count(e => e.Trigger == PollTriggers.Trap).Should().Be(1);
    }

    [Fact]
    public async Task A_trap_at_a_node_that_does_not_hold_the_device_is_polled_and_decided_by_the_holder()
    {
        // The device's poll group moves to node-2, as Wolverine would hand it over.
        var group = DcAssets.Telemetry.Polling.PollGroups.Of("ups-t1");
        var holder = await _h.StartPollerAsync("node-2", holdsEveryGroup: false);
        await _poller.ReleaseGroupAsync(group);
        holder.HoldGroup(group);
        var bystander = _poller;
        (await TelemetryHarness.EventuallyAsync(() => Task.FromResult(holder.Held.Contains("ups-t1")),
            TimeSpan.FromSeconds(15))).Should().BeTrue("node-2 reads the configuration and holds the device");
        bystander.Held.Should().NotContain("ups-t1");

        await _sim.ControlAsync("on_battery", 1);
        (await bystander.PollNowAsync("ups-t1", DateTimeOffset.UtcNow)).Should().BeTrue();
        (await TelemetryHarness.EventuallyAsync(async () => (await _h.EventsAsync<DcAssets.Telemetry.Alarms.AlarmRaised>("ups-t1")).Count > 0, TimeSpan.FromSeconds(10)))
            .Should().BeTrue("the holder decides the alarms of the requested poll");
        var polled = (await _h.AllEventsAsync()).Where(e => e.Data is UpsReadingRecorded { AssetId: "ups-t1", Trigger: PollTriggers.Trap }).Should().ContainSingle().Subject;
        TelemetryHarness.ActorOf(polled).Should().Be($"poller:{holder.NodeId}");
        var raised = (await _h.EventsAsync<DcAssets.Telemetry.Alarms.AlarmRaised>("ups-t1")).Should().ContainSingle().Subject;
        raised.Rule.Should().Be("on_battery");
        raised.Trigger.Should().Be(PollTriggers.Trap);
    }

    [Fact]
    public async Task A_liebert_condition_trap_from_an_unknown_address_goes_to_the_unmatched_stream()
    {
        var n = new SnmpNotification
        {
            Source = new IPEndPoint(IPAddress.Parse("10.9.9.9"), 162), Version = SnmpVersion.V2c, PduType = PduType.SnmpV2Trap,
            TrapOid = Oid.Parse("1.3.6.1.4.1.476.1.42.3.3.0.1"), VarBinds = [],
        };
        TrapClassifier.Classify(n).Should().Be(TrapKind.AcConditionAdded);
        await new TrapReceiver(_h.Store, _listener, _poller).HandleAsync(n, default);
        await using var q = _h.Store.QuerySession();
        var unmatched = await q.Events.FetchStreamAsync(TelemetryStreams.UnmatchedTraps);
        unmatched.Should().ContainSingle().Which.Data.Should().BeOfType<TrapReceived>().Which.Kind.Should().Be(TrapKind.AcConditionAdded);
    }

    [Fact]
    public void A_v3_trap_is_matched_by_engine_id_and_a_forwarded_one_by_its_original_agent_address()
    {
        var profiles = new DcAssets.Telemetry.Profiles.ProfileCatalog();
        PollTarget Ups(string id, string address, string? engine = null) =>
            PollTarget.From(new PollingConfigured(id, address, 161, SnmpVersion.V2c, "ups-mib", 60, "public", TrapEngineId: engine), profiles, null);
        PollTarget[] configured = [Ups("ups-a", "10.0.0.5", "80001f8880aa"), Ups("ups-b", "10.0.0.5", "80001f8880bb"), Ups("ups-c", "10.0.0.7")];
        SnmpNotification Trap(string from, byte[]? engine = null, IPAddress? forwardedFor = null) => new()
        {
            Source = new IPEndPoint(IPAddress.Parse(from), 50000), Version = engine is null ? SnmpVersion.V2c : SnmpVersion.V3,
            PduType = PduType.SnmpV2Trap, EngineId = engine, Community = engine is null ? "public" : null, TrapOid = Oid.Parse("1.3.6.1.2.1.33.2.1"),
            VarBinds = forwardedFor is null ? [] : [new VarBind(SnmpNotification.SnmpTrapAddress, SnmpValue.IpAddress(forwardedFor))],
        };
        TrapClassifier.Device(Trap("10.0.0.5", Convert.FromHexString("80001f8880bb")), TrapKind.UpsOnBattery, configured)!.AssetId.Should().Be("ups-b");
        TrapClassifier.Device(Trap("10.0.0.5"), TrapKind.UpsOnBattery, configured).Should().BeNull("a v2c trap cannot tell ups-a from ups-b");
        TrapClassifier.Device(Trap("10.0.0.99", forwardedFor: IPAddress.Parse("10.0.0.7")), TrapKind.UpsOnBattery, configured)!.AssetId.Should().Be("ups-c");
    }
}
