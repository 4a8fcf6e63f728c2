using System.Diagnostics;
using DcAssets.Testing;

namespace DcAssets.Web.Tests.Infrastructure;

/// <summary>
/// Another node of the product: the web host built beside these tests, run as its own process on a database a
/// test already set up, as an operator runs a second node. Killed without warning (SIGKILL) or stopped as by
/// systemd (SIGTERM); killed on dispose either way.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private NodeProcess(Process process) => _process = process;

    /// <summary>Starts a node named <paramref name="name"/> (its poller signs readings "poller:name").</summary>
    public static NodeProcess Start(string name, string connectionString, IDictionary<string, string>? settings = null)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
        var web = Path.Combine(TestDatabase.RepoRoot(), "src", "DcAssets.Web");
        var dll = Path.Combine(web, "bin", configuration, "net10.0", "DcAssets.Web.dll");
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" --urls http://127.0.0.1:0")
        {
            WorkingDirectory = web, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var env = new Dictionary<string, string>
        {
            ["DCASSETS_DB"] = connectionString, ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DCASSETS_SEAL_KEY"] = "", ["DCASSETS_SEAL_KEY_FILE"] = "",
            ["Telemetry__NodeId"] = name, ["Telemetry__TrapPort"] = "0",
            ["Nodes__HealthCheckSeconds"] = "0.5", ["Nodes__StaleSeconds"] = "3",
            ["Logging__LogLevel__Default"] = "Warning", ["Logging__LogLevel__Wolverine.Runtime.Agents"] = "Information",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) env[k] = v;
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var node = new NodeProcess(Process.Start(psi)!);
        node._process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        node._process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        return node;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>What the node wrote, for a failing test's message.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Dies at once: no agent released, no heartbeat ever again.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Stops as systemd stops it (SIGTERM), letting it hand its work over.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited) Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
