using System.Diagnostics;
using DcAssets.Testing;

namespace DcAssets.Tests.Cli;

/// <summary>
/// Runs the real dcassets binary and net-snmp's tools as processes, with exact argument lists (no
/// shell quoting), MIBS empty (Debian ships no MIB files) and an optional standard input.
/// </summary>
public static class SnmpCliProcess
{
    public sealed record Result(int Exit, string Out, string Err)
    {
        public string[] Lines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static readonly Lazy<string> Dll = new(() =>
    {
        var root = TestDatabase.RepoRoot();
        var dll = Path.Combine(root, "src", "DcAssets.Cli", "bin", "Debug", "net10.0", "DcAssets.Cli.dll");
        if (!File.Exists(dll)) Run("dotnet", ["build", Path.Combine(root, "src", "DcAssets.Cli"), "-v", "q", "-nologo"]).Wait();
        return dll;
    });

    public static Task<Result> DcAssetsAsync(params string[] args) => Run("dotnet", [Dll.Value, .. args]);

    public static Task<Result> DcAssetsWithInputAsync(string stdin, params string[] args) => Run("dotnet", [Dll.Value, .. args], stdin);

    /// <summary>A net-snmp tool; its persistent state (engine boots) stays in a directory of its own.</summary>
    public static Task<Result> NetSnmpAsync(string tool, params string[] args) => Run(tool, args);

    public static ProcessStartInfo Info(string file, IEnumerable<string> args, string? persistentDir = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["MIBS"] = "";
        if (persistentDir is not null) psi.Environment["SNMP_PERSISTENT_DIR"] = persistentDir;
        psi.Environment["DCASSETS_DB"] = "";
        return psi;
    }

    /// <summary>The dcassets binary started in the background (for `snmp listen`); the caller kills it.</summary>
    public static Process StartDcAssets(params string[] args) => Process.Start(Info("dotnet", [Dll.Value, .. args]))!;

    private static async Task<Result> Run(string file, IEnumerable<string> args, string? stdin = null)
    {
        // net-snmp's tools persist engine boots and IDs: one directory per run, so tools running in
        // parallel never read each other's half-written file.
        var persist = Directory.CreateTempSubdirectory("dcassets-netsnmp-");
        try { return await RunIn(persist.FullName, file, args, stdin); }
        finally { try { persist.Delete(true); } catch (IOException) { } }
    }

    private static async Task<Result> RunIn(string persistentDir, string file, IEnumerable<string> args, string? stdin)
    {
        using var p = Process.Start(Info(file, args, persistentDir))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null) await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            p.Kill(true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        return new Result(p.ExitCode, await stdout, await stderr);
    }
}

/// <summary>A real snmpd (ops/snmp-sim/start) in a private directory, values frozen, stopped on dispose.</summary>
public sealed class SnmpCliSimulator : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dcassets-cli-sim-" + Guid.NewGuid().ToString("N")[..8]);
    public string Agent { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        await File.WriteAllTextAsync(Path.Combine(_dir, "control"), "freeze=1\non_battery=0\nlow_battery=0\nhigh_return_temp=0\nac_off=0\n");
        var r = await SnmpCliProcess.NetSnmpAsync(Path.Combine(TestDatabase.RepoRoot(), "ops/snmp-sim/start"), "--dir", _dir, "--profiles", "ups,types");
        if (r.Exit != 0) throw new InvalidOperationException($"ops/snmp-sim/start failed: {r.Out}{r.Err}");
        Agent = $"udp:127.0.0.1:{int.Parse(r.Out.Trim().Split('\n')[^1])}";
    }

    public async Task DisposeAsync()
    {
        await SnmpCliProcess.NetSnmpAsync(Path.Combine(TestDatabase.RepoRoot(), "ops/snmp-sim/stop"), "--dir", _dir);
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
