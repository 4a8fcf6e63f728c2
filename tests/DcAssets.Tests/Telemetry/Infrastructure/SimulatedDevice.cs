using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DcAssets.Testing;

namespace DcAssets.Tests.Telemetry.Infrastructure;

/// <summary>
/// A real net-snmp snmpd (ops/snmp-sim/start) in a private directory on a free port, values frozen,
/// stopped on dispose, serving the UPS-MIB, Liebert, APC PowerNet and Eaton XUPS subtrees. The alarm
/// switches are flipped with ops/snmp-sim/ctl, as a user would.
/// </summary>
public sealed class SimulatedDevice : IAsyncLifetime
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "dcassets-telemetry-sim-" + Guid.NewGuid().ToString("N")[..8]);
    public int Port { get; private set; }
    public static string Root => TestDatabase.RepoRoot();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Dir);
        await File.WriteAllTextAsync(Path.Combine(Dir, "control"), "freeze=1\non_battery=0\nlow_battery=0\nhigh_return_temp=0\nac_off=0\n");
        var r = await RunAsync(Path.Combine(Root, "ops/snmp-sim/start"), "--dir", Dir, "--profiles", "ups,ac,apc,eaton");
        if (r.Code != 0) throw new InvalidOperationException($"ops/snmp-sim/start failed: {r.Out}{r.Err}");
        Port = int.Parse(r.Out.Trim().Split('\n')[^1]);
    }

    public async Task ControlAsync(string key, int value)
    {
        var r = await RunAsync(Path.Combine(Root, "ops/snmp-sim/ctl"), "--dir", Dir, $"{key}={value}");
        if (r.Code != 0) throw new InvalidOperationException($"ops/snmp-sim/ctl failed: {r.Err}");
    }

    public async Task DisposeAsync()
    {
        await RunAsync(Path.Combine(Root, "ops/snmp-sim/stop"), "--dir", Dir);
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }

    public static async Task<(int Code, string Out, string Err)> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["MIBS"] = "";
        psi.Environment["SNMP_PERSISTENT_DIR"] = Path.Combine(Path.GetTempPath(), "dcassets-netsnmp-tools");
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await o, await e);
    }

    public static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
