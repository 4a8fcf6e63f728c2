using DcAssets.Snmp.Tests.Infrastructure;
using DcAssets.Snmp.Usm;

namespace DcAssets.Snmp.Tests.Client;

/// <summary>
/// A real snmpd whose snmpEngineBoots is at the RFC 3414 maximum (2^31-1): it reports every
/// authenticated request as notInTimeWindow, so resynchronising cannot help and the caller must get
/// the typed error rather than a timeout or an endless retry.
/// </summary>
public sealed class TimeWindowTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dcassets-snmpsim-boots-" + Guid.NewGuid().ToString("N")[..8]);
    private int _port;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var r = await Tools.RunAsync(Path.Combine(Tools.RepoRoot, "ops/snmp-sim/start"),
            ["--dir", _dir, "--profiles", "", "--engine-id", "maxboots", "--engine-boots", "2147483647"], TimeSpan.FromSeconds(90));
        if (r.ExitCode != 0) throw new InvalidOperationException($"ops/snmp-sim/start failed: {r.StdOut}{r.StdErr}");
        _port = int.Parse(r.StdOut.Trim().Split('\n')[^1]);
    }

    public async Task DisposeAsync()
    {
        await Tools.RunAsync(Path.Combine(Tools.RepoRoot, "ops/snmp-sim/stop"), ["--dir", _dir]);
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public async Task An_engine_at_maximum_boots_gives_NotInTimeWindow_after_one_resync()
    {
        await using var client = new SnmpClient();
        var target = new SnmpTarget(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, _port), SnmpVersion.V3,
            User: new UsmUser("authPrivUser", AuthProtocol.Sha1, "authpass123", PrivProtocol.Aes128, "privpass123")) { Timeout = TimeSpan.FromSeconds(3), Retries = 1 };
        (await client.DiscoverAsync(target)).Estimate().Boots.Should().Be(int.MaxValue, "the simulator started at the maximum");
        var act = () => client.GetAsync(target, [Oid.Parse("1.3.6.1.2.1.1.5.0")]);
        (await act.Should().ThrowAsync<SnmpSecurityException>()).Which.Error.Should().Be(SnmpSecurityError.NotInTimeWindow);
    }

    [Fact]
    public async Task NoAuthNoPriv_has_no_time_window_and_still_works()
    {
        await using var client = new SnmpClient();
        var target = new SnmpTarget(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, _port), SnmpVersion.V3, User: new UsmUser("noAuthUser"))
            { Timeout = TimeSpan.FromSeconds(3), Retries = 1 };
        (await client.GetAsync(target, [Oid.Parse("1.3.6.1.2.1.1.5.0")])).Single().Value.ToString().Should().Be("sim-agent");
    }
}
