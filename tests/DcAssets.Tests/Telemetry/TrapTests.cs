using System.Net;
using DcAssets.Snmp;
using DcAssets.Telemetry;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Readings;
using DcAssets.Telemetry.Traps;
using DcAssets.Tests.Telemetry.Infrastructure;

namespace DcAssets.Tests.Telemetry;

/// <summary>Traps sent with net-snmp's snmptrap to our listener become events and trigger a poll.</summary>
public sealed class TrapTests : IAsyncLifetime
{
    private readonly SimulatedDevice _sim = new();
    private readonly TelemetryHarness _h = new();
    private SnmpTrapListener _listener = null!;
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_sim.InitializeAsync(), _h.InitializeAsync());
        // An hourly interval: the only reading after the first comes from the trap.
        await _h.ConfigureAsync(new ConfigurePolling("ups-t1", "127.0.0.1", "ups-mib", _sim.Port, IntervalSeconds: 3600));
        var poller = await _h.StartPollerAsync("node-1");
        (await TelemetryHarness.EventuallyAsync(async () => (await _h.EventsAsync<UpsReadingRecorded>("ups-t1")).Count == 1, TimeSpan.FromSeconds(10))).Should().BeTrue();
        _listener = new SnmpTrapListener(new IPEndPoint(IPAddress.Loopback, 0));
        _receiving = new TrapReceiver(_h.Store, _listener, poller).RunAsync(_stop.Token);
    }

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

        (await TelemetryHarness.EventuallyAsync(async () => (await _h.EventsAsync<UpsReadingRecorded>("ups-t1")).Any(e => e.Trigger == PollTriggers.Trap), TimeSpan.FromSeconds(5)))
            .Should().BeTrue("the trap triggers an immediate poll");
        var trap = (await TrapsAsync()).Should().ContainSingle().Subject;
        trap.AssetId.Should().Be("ups-t1");
        trap.Kind.Should().Be(TrapKind.UpsOnBattery);
        trap.TrapOid.Should().Be("1.3.6.1.2.1.33.2.1");
        trap.Objects.Should().Contain(o => o.Oid == "1.3.6.1.2.1.33.1.2.3.0" && o.Value == "45");

        await using var q = _h.Store.QuerySession();
        var deviceStream = await q.Events.FetchStreamAsync(TelemetryStreams.Device("ups-t1"));
        deviceStream.Should().Contain(e => e.Data is TrapReceived && e.Metadata.Source == "trap");
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
        (await TelemetryHarness.EventuallyAsync(async () => (await _h.EventsAsync<UpsReadingRecorded>("ups-t1")).Any(e => e.Trigger == PollTriggers.Trap), TimeSpan.FromSeconds(5)))
            .Should().BeTrue();
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
        await new TrapReceiver(_h.Store, _listener, (await _h.StartPollerAsync("node-2"))).HandleAsync(n, default);
        await using var q = _h.Store.QuerySession();
        var unmatched = await q.Events.FetchStreamAsync(TelemetryStreams.UnmatchedTraps);
        unmatched.Should().ContainSingle().Which.Data.Should().BeOfType<TrapReceived>().Which.Kind.Should().Be(TrapKind.AcConditionAdded);
    }
}
