using System.Net;

namespace DcAssets.Snmp.Tests.Infrastructure;

/// <summary>
/// A real net-snmp snmpd started through ops/snmp-sim/start in a private temp directory on a free
/// port, and stopped on dispose. Values are frozen so two walks can be compared.
/// </summary>
public sealed class SnmpSimFixture : IAsyncLifetime
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "dcassets-snmpsim-" + Guid.NewGuid().ToString("N")[..8]);
    public int Port { get; private set; }
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);
    public string Agent => $"udp:127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Dir);
        await File.WriteAllTextAsync(Path.Combine(Dir, "control"), "freeze=1\non_battery=0\nlow_battery=0\nhigh_return_temp=0\nac_off=0\n");
        var r = await Tools.RunAsync(Path.Combine(Tools.RepoRoot, "ops/snmp-sim/start"), ["--dir", Dir], TimeSpan.FromSeconds(90));
        if (r.ExitCode != 0) throw new InvalidOperationException($"ops/snmp-sim/start failed: {r.StdOut}{r.StdErr}");
        Port = int.Parse(r.StdOut.Trim().Split('\n')[^1]);
    }

    /// <summary>Rewrites one key of the simulator's control file (the next request sees it).</summary>
    public async Task SetControlAsync(string key, string value)
    {
        var path = Path.Combine(Dir, "control");
        var lines = (await File.ReadAllLinesAsync(path)).Where(l => !l.StartsWith(key + "=", StringComparison.Ordinal)).Append($"{key}={value}");
        await File.WriteAllLinesAsync(path, lines);
    }

    public SnmpTarget V2c(string community = "public") => new(EndPoint, SnmpVersion.V2c, community) { Timeout = TimeSpan.FromSeconds(3), Retries = 2 };
    public SnmpTarget V1(string community = "public") => new(EndPoint, SnmpVersion.V1, community) { Timeout = TimeSpan.FromSeconds(3), Retries = 2 };
    public SnmpTarget V3(DcAssets.Snmp.Usm.UsmUser user) => new(EndPoint, SnmpVersion.V3, User: user) { Timeout = TimeSpan.FromSeconds(3), Retries = 2 };

    public async Task DisposeAsync()
    {
        await Tools.RunAsync(Path.Combine(Tools.RepoRoot, "ops/snmp-sim/stop"), ["--dir", Dir]);
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class SnmpSimCollection : ICollectionFixture<SnmpSimFixture>
{
    public const string Name = "snmpd simulator";
}
