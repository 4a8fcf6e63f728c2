using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using static DcAssets.Tests.Cli.SnmpCliProcess;

namespace DcAssets.Tests.Cli;

/// <summary>
/// `dcassets snmp get|walk|bulkwalk|listen` as processes, output compared line by line with what
/// net-snmp's own tools print (-On) for the same simulated agent.
/// </summary>
public sealed class SnmpToolCommandTests(SnmpCliSimulator sim) : IClassFixture<SnmpCliSimulator>
{
    private static readonly string[] V2c = ["-v", "2c", "-c", "public"];
    private static readonly string[] V3 = ["-v", "3", "-u", "authPrivUser", "-l", "authPriv", "-a", "SHA", "-A", "authpass123", "-x", "AES", "-X", "privpass123"];
    private static string[] NetSnmp(string[] ours) => ours[1] == "2c" ? ["-v2c", "-c", "public"] : ["-v3", .. ours[2..]];

    private static async Task SamePrintoutAsync(string[] ourArgs, string tool, string[] theirArgs)
    {
        var ours = await DcAssetsAsync(ourArgs);
        ours.Exit.Should().Be(0, ours.Err);
        var theirs = await NetSnmpAsync(tool, theirArgs);
        theirs.Exit.Should().Be(0, theirs.Err);
        ours.Lines.Should().HaveCountGreaterThan(2);
        ours.Lines.Should().Equal(theirs.Lines);
    }

    [Theory]
    [InlineData("2c")]
    [InlineData("3")]
    public async Task Get_prints_what_snmpget_prints(string version)
    {
        var auth = version == "2c" ? V2c : V3;
        string[] oids = ["1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.33.1.1.1.0", "1.3.6.1.2.1.33.1.2.3.0", "1.3.6.1.4.1.8072.9999.20.2.1.0", "1.3.6.1.2.1.1.5.1"];
        await SamePrintoutAsync(["snmp", "get", .. auth, sim.Agent, .. oids], "snmpget", [.. NetSnmp(auth), "-On", sim.Agent, .. oids]);
    }

    [Theory]
    [InlineData("2c", "1.3.6.1.2.1.33")]
    [InlineData("3", "1.3.6.1.2.1.33")]
    [InlineData("2c", "1.3.6.1.4.1.8072.9999.20")]
    public async Task Walk_prints_what_snmpwalk_prints(string version, string root)
    {
        var auth = version == "2c" ? V2c : V3;
        await SamePrintoutAsync(["snmp", "walk", .. auth, sim.Agent, root], "snmpwalk", [.. NetSnmp(auth), "-On", sim.Agent, root]);
    }

    [Theory]
    [InlineData("2c", "1.3.6.1.2.1.33")]
    [InlineData("3", "1.3.6.1.2.1.33")]
    [InlineData("3", "1.3.6.1.4.1.8072.9999.20")]
    public async Task Bulkwalk_with_attached_Cr_prints_what_snmpbulkwalk_prints(string version, string root)
    {
        var auth = version == "2c" ? V2c : V3;
        await SamePrintoutAsync(["snmp", "bulkwalk", "-Cr7", .. auth, sim.Agent, root], "snmpbulkwalk", ["-Cr7", .. NetSnmp(auth), "-On", sim.Agent, root]);
    }

    [Fact]
    public async Task A_bad_Cr_option_and_a_missing_privacy_pass_phrase_exit_2_with_one_line()
    {
        var r = await DcAssetsAsync("snmp", "bulkwalk", "-Cz7", sim.Agent, "1.3.6.1.2.1.33");
        (r.Exit, r.Out).Should().Be((2, ""));
        r.Err.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("-Cz7");
        r = await DcAssetsAsync(["snmp", "get", .. V3[..^2], sim.Agent, "1.3.6.1.2.1.1.5.0"]);
        (r.Exit, r.Out).Should().Be((2, ""));
        r.Err.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("-X");
    }

    private static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    /// <summary>Lines the running process prints, as they come.</summary>
    private static System.Threading.Channels.Channel<string> Lines(StreamReader reader)
    {
        var ch = System.Threading.Channels.Channel.CreateUnbounded<string>();
        _ = Task.Run(async () =>
        {
            string? line;
            while ((line = await reader.ReadLineAsync()) is not null) await ch.Writer.WriteAsync(line);
            ch.Writer.Complete();
        });
        return ch;
    }

    [Fact]
    public async Task Listen_prints_v2c_and_v3_traps_sent_by_snmptrap()
    {
        var port = FreeUdpPort();
        using var listener = StartDcAssets("snmp", "listen", "--port", port.ToString(), "--address", "127.0.0.1", "-c", "public",
            "-u", "trapUser", "-l", "authPriv", "-a", "SHA-256", "-A", "trapauth123", "-x", "AES", "-X", "trappriv123");
        try
        {
            var stdout = Lines(listener.StandardOutput);
            var stderr = Lines(listener.StandardError);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            (await stderr.Reader.ReadAsync(cts.Token)).Should().StartWith($"listening on udp:127.0.0.1:{port}");
            var to = $"udp:127.0.0.1:{port}";

            (await NetSnmpAsync("snmptrap", "-v2c", "-c", "public", to, "4242", "1.3.6.1.2.1.33.2.1", "1.3.6.1.2.1.33.1.2.3.0", "i", "12")).Exit.Should().Be(0);
            var head = await stdout.Reader.ReadAsync(cts.Token);
            head.Should().Contain("127.0.0.1").And.Contain("v2c SNMPv2-Trap (community public) .1.3.6.1.2.1.33.2.1");
            var objects = new List<string>();
            for (var i = 0; i < 3; i++) objects.Add(await stdout.Reader.ReadAsync(cts.Token));
            objects.Should().Equal("  .1.3.6.1.2.1.1.3.0 = Timeticks: (4242) 0:00:42.42", "  .1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.2.1.33.2.1",
                "  .1.3.6.1.2.1.33.1.2.3.0 = INTEGER: 12");

            (await NetSnmpAsync("snmptrap", "-v3", "-e", "0x80001f8804636c6974726170", "-l", "authPriv", "-u", "trapUser", "-a", "SHA-256", "-A", "trapauth123",
                "-x", "AES", "-X", "trappriv123", to, "1", "1.3.6.1.2.1.33.2.3", "1.3.6.1.2.1.33.1.6.2.1.2.1", "o", "1.3.6.1.2.1.33.1.6.3.3")).Exit.Should().Be(0);
            (await stdout.Reader.ReadAsync(cts.Token)).Should().Contain("v3 SNMPv2-Trap (user trapUser) .1.3.6.1.2.1.33.2.3");
            for (var i = 0; i < 2; i++) await stdout.Reader.ReadAsync(cts.Token);
            (await stdout.Reader.ReadAsync(cts.Token)).Should().Be("  .1.3.6.1.2.1.33.1.6.2.1.2.1 = OID: .1.3.6.1.2.1.33.1.6.3.3");
        }
        finally
        {
            listener.Kill(true);
            await listener.WaitForExitAsync();
        }
    }
}
