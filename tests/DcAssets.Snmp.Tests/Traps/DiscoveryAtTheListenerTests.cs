using System.Net;
using System.Net.Sockets;
using DcAssets.Snmp.Tests.Infrastructure;
using DcAssets.Snmp.Usm;

namespace DcAssets.Snmp.Tests.Traps;

/// <summary>
/// Every SNMPv3 exchange starts with an engine discovery: a probe and the Report answering it. Both are
/// captured from net-snmp's snmpget against snmpd and sent to our listener as they were on the wire.
/// </summary>
public sealed class DiscoveryAtTheListenerTests(SnmpSimFixture sim) : IClassFixture<SnmpSimFixture>, IAsyncLifetime
{
    private SnmpTrapListener _listener = null!;

    public Task InitializeAsync()
    {
        _listener = new SnmpTrapListener(new IPEndPoint(IPAddress.Loopback, 0), new SnmpTrapListenerOptions
        {
            Communities = ["public"],
            Users = [new UsmUser("trapUser", AuthProtocol.Sha1, "trapauth123", PrivProtocol.Aes128, "trappriv123")],
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _listener.DisposeAsync();

    /// <summary>The probe (noAuthNoPriv, empty user and engine ID, empty GetRequest) and snmpd's Report.</summary>
    private async Task<(byte[] Probe, byte[] Report)> DiscoveryAsync()
    {
        var r = await Tools.RunAsync("snmpget", ["-d", "-v3", "-u", "authPrivUser", "-l", "authPriv", "-a", "SHA",
            "-A", "authpass123", "-x", "AES", "-X", "privpass123", "-On", sim.Agent, "1.3.6.1.2.1.1.5.0"]);
        r.ExitCode.Should().Be(0, r.StdErr);
        var packets = NetSnmpDump.Parse(r.StdOut + r.StdErr);
        return (packets.First(p => p.Sent).Bytes, packets.First(p => !p.Sent).Bytes);
    }

    [Fact]
    public async Task A_discovery_probe_is_answered_with_a_report_naming_the_listeners_engine()
    {
        var (probe, _) = await DiscoveryAsync();
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await udp.SendAsync(probe, _listener.LocalEndPoint);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var answer = SnmpCodec.Decode((await udp.ReceiveAsync(cts.Token)).Buffer);

        answer.Pdu!.Type.Should().Be(PduType.Report);
        answer.Usm.EngineId.Should().Equal(_listener.EngineId);
        (_listener.MalformedPackets, _listener.RejectedPackets).Should().Be((0L, 0L));
    }

    [Fact]
    public async Task A_report_from_an_agent_is_not_taken_for_a_malformed_packet_and_traps_still_arrive()
    {
        var (_, report) = await DiscoveryAsync();
        using var udp = new UdpClient();
        await udp.SendAsync(report, _listener.LocalEndPoint);
        var trap = await Tools.RunAsync("snmptrap", ["-v2c", "-c", "public",
            $"udp:127.0.0.1:{_listener.LocalEndPoint.Port}", "", "1.3.6.1.2.1.33.2.1"]);
        trap.ExitCode.Should().Be(0, trap.StdErr);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        (await _listener.ReadAsync(cts.Token)).TrapOid.ToString().Should().Be("1.3.6.1.2.1.33.2.1");
        _listener.MalformedPackets.Should().Be(0);
    }
}
