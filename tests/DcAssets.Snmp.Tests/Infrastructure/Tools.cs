using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DcAssets.Snmp.Tests.Infrastructure;

/// <summary>Runs the repo's scripts and net-snmp's command-line tools.</summary>
public static class Tools
{
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DcAssets.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repo root not found");
    }

    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["MIBS"] = "";
        // net-snmp's tools persist engine boots and IDs; one directory per run keeps that out of the
        // user's home and stops tools running in parallel from reading each other's half-written file.
        var persist = Directory.CreateTempSubdirectory("dcassets-netsnmp-");
        psi.Environment["SNMP_PERSISTENT_DIR"] = persist.FullName;
        try { return await RunProcessAsync(file, args, psi, timeout); }
        finally { try { persist.Delete(true); } catch (IOException) { } }
    }

    private static async Task<Result> RunProcessAsync(string file, IEnumerable<string> args, ProcessStartInfo psi, TimeSpan? timeout)
    {
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            p.Kill(true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        return new Result(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a net-snmp tool and returns its standard output lines; fails the test on a non-zero exit.</summary>
    public static async Task<List<string>> NetSnmpAsync(string tool, params string[] args)
    {
        var r = await RunAsync(tool, args);
        if (r.ExitCode != 0) throw new InvalidOperationException($"{tool} exited {r.ExitCode}: {r.StdErr}");
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    public static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    /// <summary>Polls until <paramref name="condition"/> holds, instead of sleeping a fixed time.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < within)
        {
            if (await condition()) return true;
            await Task.Delay(50);
        }
        return await condition();
    }
}
