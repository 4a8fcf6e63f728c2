using System.Net;
using DcAssets.Snmp.Tests.Infrastructure;
using DcAssets.Snmp.Tests.Codec;
using DcAssets.Snmp.Usm;

namespace DcAssets.Snmp.Tests.Traps;

/// <summary>Notifications sent by net-snmp's snmptrap/snmpinform to our listener.</summary>
public sealed class TrapListenerTests : IAsyncLifetime
{
    private const string OnBattery = "1.3.6.1.2.1.33.2.1";
    private const string SenderEngine = "0x80001f8804746573747472617031";
    private SnmpTrapListener _listener = null!;

    private string Address => $"udp:127.0.0.1:{_listener.LocalEndPoint.Port}";

    public Task InitializeAsync()
    {
        _listener = new SnmpTrapListener(new IPEndPoint(IPAddress.Loopback, 0), new SnmpTrapListenerOptions
        {
            Communities = ["public"],
            Users =
            [
                new UsmUser("trapUser", AuthProtocol.Sha1, "trapauth123", PrivProtocol.Aes128, "trappriv123"),
                new UsmUser("informUser", AuthProtocol.Sha256, "trapauth123", PrivProtocol.Aes128, "trappriv123"),
            ],
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _listener.DisposeAsync();

    private async Task<SnmpNotification> NextAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await _listener.ReadAsync(cts.Token);
    }

    private static readonly string[] OnBatteryObjects = [".1.3.6.1.2.1.33.1.2.3.0", "i", "12", ".1.3.6.1.2.1.33.1.2.2.0", "i", "300", ".1.3.6.1.2.1.33.1.9.7.0", "i", "5"];

    [Fact]
    public async Task V1_trap_arrives_converted_to_v2_form_per_RFC_3584()
    {
        await Tools.NetSnmpAsync("snmptrap", ["-v1", "-c", "public", Address, ".1.3.6.1.2.1.33.2", "127.0.0.1", "6", "1", "123456", .. OnBatteryObjects]);
        var n = await NextAsync();
        n.Version.Should().Be(SnmpVersion.V1);
        n.PduType.Should().Be(PduType.TrapV1);
        n.TrapOid.ToString().Should().Be("1.3.6.1.2.1.33.2.0.1");
        n.Matches(Oid.Parse(OnBattery)).Should().BeTrue("the v1 form (enterprise .33.2, specific 1) is upsTrapOnBattery");
        n.Matches(Oid.Parse("1.3.6.1.2.1.33.2.0.1")).Should().BeTrue();
        n.Matches(Oid.Parse("1.3.6.1.2.1.33.2.3")).Should().BeFalse();
        n.Uptime.Should().Be(123456);
        n.VarBinds[0].Oid.Should().Be(SnmpNotification.SysUpTime);
        n.VarBinds[1].Oid.Should().Be(SnmpNotification.SnmpTrapOid);
        n.Objects.Select(v => v.Oid.ToString()).Should().Contain(["1.3.6.1.2.1.33.1.2.3.0", "1.3.6.1.6.3.18.1.3.0", "1.3.6.1.6.3.18.1.4.0", "1.3.6.1.6.3.1.1.4.3.0"]);
        n.V1AgentAddress.Should().Be(IPAddress.Loopback);
        n.Source.Address.Should().Be(IPAddress.Loopback);
    }

    [Fact]
    public async Task V1_generic_traps_map_to_the_standard_notification_OIDs()
    {
        await Tools.NetSnmpAsync("snmptrap", "-v1", "-c", "public", Address, ".1.3.6.1.4.1.8072", "127.0.0.1", "0", "0", "5");
        (await NextAsync()).TrapOid.ToString().Should().Be("1.3.6.1.6.3.1.1.5.1");
    }

    [Fact]
    public async Task V2c_trap_arrives_with_its_objects()
    {
        await Tools.NetSnmpAsync("snmptrap", ["-v2c", "-c", "public", Address, "123456", OnBattery, .. OnBatteryObjects]);
        var n = await NextAsync();
        (n.Version, n.PduType, n.Community).Should().Be((SnmpVersion.V2c, PduType.SnmpV2Trap, "public"));
        n.Matches(Oid.Parse(OnBattery)).Should().BeTrue();
        n.Uptime.Should().Be(123456);
        n.Objects.Select(v => v.Value.AsInt32()).Should().Equal(12, 300, 5);
    }

    [Fact]
    public async Task V2c_inform_is_acknowledged_so_snmpinform_succeeds()
    {
        var r = await Tools.RunAsync("snmpinform", ["-v2c", "-c", "public", "-r", "0", "-t", "5", Address, "", OnBattery, .. OnBatteryObjects]);
        r.ExitCode.Should().Be(0, r.StdErr);
        var n = await NextAsync();
        n.IsInform.Should().BeTrue();
        n.TrapOid.ToString().Should().Be(OnBattery);
    }

    [Fact]
    public async Task V3_authPriv_trap_is_verified_and_decrypted_with_keys_of_the_sender_engine()
    {
        await Tools.NetSnmpAsync("snmptrap", "-v3", "-e", SenderEngine, "-l", "authPriv", "-u", "trapUser", "-a", "SHA", "-A", "trapauth123",
            "-x", "AES", "-X", "trappriv123", Address, "123456", "1.3.6.1.2.1.33.2.3", ".1.3.6.1.2.1.33.1.6.2.1.2.1", "o", ".1.3.6.1.2.1.33.1.6.3.3");
        var n = await NextAsync();
        (n.Version, n.UserName).Should().Be((SnmpVersion.V3, "trapUser"));
        Convert.ToHexStringLower(n.EngineId!).Should().Be(SenderEngine[2..]);
        n.TrapOid.ToString().Should().Be("1.3.6.1.2.1.33.2.3");
        n.Objects.Single().Value.AsOid().ToString().Should().Be("1.3.6.1.2.1.33.1.6.3.3");
    }

    [Fact]
    public async Task V3_inform_discovers_our_engine_and_is_acknowledged()
    {
        var r = await Tools.RunAsync("snmpinform", ["-v3", "-l", "authPriv", "-u", "informUser", "-a", "SHA-256", "-A", "trapauth123",
            "-x", "AES", "-X", "trappriv123", "-r", "1", "-t", "5", Address, "", OnBattery, .. OnBatteryObjects]);
        r.ExitCode.Should().Be(0, r.StdErr);
        var n = await NextAsync();
        (n.Version, n.IsInform, n.UserName).Should().Be((SnmpVersion.V3, true, "informUser"));
        n.Objects.Select(v => v.Value.AsInt32()).Should().Equal(12, 300, 5);
    }

    private Task<List<string>> SendV3TrapAsync(string bootsAndTime, string trapOid) =>
        Tools.NetSnmpAsync("snmptrap", "-v3", "-e", SenderEngine, "-Z", bootsAndTime, "-l", "authPriv", "-u", "trapUser", "-a", "SHA", "-A", "trapauth123",
            "-x", "AES", "-X", "trappriv123", Address, "1", trapOid);

    [Fact]
    public async Task Authenticated_v3_traps_are_refused_when_older_than_the_sender_engines_clock()
    {
        // RFC 3414 §3.2 7b per sender engine: the first authentic trap sets our view of its clock
        // (boots 5, time 1000); later ones may not go back in boots nor lag more than 150 s.
        await SendV3TrapAsync("5,1000", "1.3.6.1.2.1.33.2.1");
        (await NextAsync()).TrapOid.ToString().Should().Be("1.3.6.1.2.1.33.2.1");
        var rejected = _listener.RejectedPackets;
        await SendV3TrapAsync("5,700", "1.3.6.1.2.1.33.2.2");   // 300 s behind: a replay
        await SendV3TrapAsync("4,5000", "1.3.6.1.2.1.33.2.3");  // an earlier boot
        (await Tools.EventuallyAsync(() => Task.FromResult(_listener.RejectedPackets == rejected + 2), TimeSpan.FromSeconds(10))).Should().BeTrue();
        await SendV3TrapAsync("5,900", "1.3.6.1.2.1.33.2.4");   // within the 150 s window
        await SendV3TrapAsync("6,3", "1.3.6.1.2.1.33.2.5");     // the sender rebooted
        await SendV3TrapAsync("5,2000", "1.3.6.1.2.1.33.2.6");  // the old boot is now over
        (await NextAsync()).TrapOid.ToString().Should().Be("1.3.6.1.2.1.33.2.4");
        (await NextAsync()).TrapOid.ToString().Should().Be("1.3.6.1.2.1.33.2.5");
        (await Tools.EventuallyAsync(() => Task.FromResult(_listener.RejectedPackets == rejected + 3), TimeSpan.FromSeconds(10))).Should().BeTrue();
    }

    [Fact]
    public async Task An_inform_from_an_unknown_user_gets_the_unknownUserNames_report()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var r = await Tools.RunAsync("snmpinform", ["-v3", "-l", "authPriv", "-u", "strangerUser", "-a", "SHA", "-A", "trapauth123",
            "-x", "AES", "-X", "trappriv123", "-r", "0", "-t", "10", Address, "", OnBattery]);
        r.ExitCode.Should().NotBe(0);
        r.StdErr.Should().Contain("Unknown user name");
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(9), "the Report answers at once; silence would wait out the 10 s timeout");
    }

    [Fact]
    public async Task Wrong_community_and_wrong_password_are_dropped_and_counted()
    {
        await Tools.NetSnmpAsync("snmptrap", "-v2c", "-c", "nosuchcommunity", Address, "1", OnBattery);
        await Tools.NetSnmpAsync("snmptrap", "-v3", "-e", SenderEngine, "-l", "authPriv", "-u", "trapUser", "-a", "SHA", "-A", "wrongpass99",
            "-x", "AES", "-X", "trappriv123", Address, "1", OnBattery);
        (await Tools.EventuallyAsync(() => Task.FromResult(_listener.RejectedPackets >= 2), TimeSpan.FromSeconds(10))).Should().BeTrue();
        // A good trap after the bad ones is the first thing delivered.
        await Tools.NetSnmpAsync("snmptrap", "-v2c", "-c", "public", Address, "1", "1.3.6.1.2.1.33.2.4");
        (await NextAsync()).TrapOid.ToString().Should().Be("1.3.6.1.2.1.33.2.4");
    }

    [Fact]
    public async Task A_flood_of_mutated_packets_does_not_stop_the_listener()
    {
        var seeds = new[] { RealPacketTests.V1Trap, RealPacketTests.BulkResponse, RealPacketTests.V3AuthPrivResponse }.Select(Convert.FromHexString).ToArray();
        var rng = new Random(99);
        using var udp = new System.Net.Sockets.UdpClient();
        for (var i = 0; i < 3000; i++)
        {
            var p = (byte[])seeds[i % seeds.Length].Clone();
            for (var k = 0; k < 3; k++) p[rng.Next(p.Length)] = (byte)rng.Next(256);
            await udp.SendAsync(p, _listener.LocalEndPoint);
        }
        // Let the backlog drain (a full socket buffer would drop our real trap), then send it, resending
        // if UDP still lost it. Mutants that are valid traps are skipped by the OID/port filter.
        long seen = -1;
        await Tools.EventuallyAsync(async () =>
        {
            var now = _listener.MalformedPackets + _listener.RejectedPackets;
            if (now == seen) return true;
            seen = now;
            await Task.Delay(200);
            return false;
        }, TimeSpan.FromSeconds(20));
        var arrived = false;
        for (var attempt = 0; attempt < 3 && !arrived; attempt++)
        {
            await Tools.NetSnmpAsync("snmptrap", "-v2c", "-c", "public", Address, "1", "1.3.6.1.2.1.33.2.2");
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await foreach (var n in _listener.ReadAllAsync(cts.Token))
                    if (n.TrapOid == Oid.Parse("1.3.6.1.2.1.33.2.2") && n.Source.Port != ((System.Net.IPEndPoint)udp.Client.LocalEndPoint!).Port) { arrived = true; break; }
            }
            catch (OperationCanceledException) { }
        }
        arrived.Should().BeTrue("the listener keeps running after the flood");
        (_listener.MalformedPackets + _listener.RejectedPackets).Should().BeGreaterThan(100);
    }

    [Fact]
    public async Task Garbage_is_counted_as_malformed()
    {
        using var udp = new System.Net.Sockets.UdpClient();
        await udp.SendAsync(new byte[] { 0x30, 0x82, 0xff, 0xff, 0x02 }, _listener.LocalEndPoint);
        (await Tools.EventuallyAsync(() => Task.FromResult(_listener.MalformedPackets == 1), TimeSpan.FromSeconds(10))).Should().BeTrue();
    }
}
