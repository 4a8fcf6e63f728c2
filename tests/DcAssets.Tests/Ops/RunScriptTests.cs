using System.Net;
using System.Net.Sockets;
using DcAssets.Testing;

namespace DcAssets.Tests.Ops;

[CollectionDefinition(nameof(RunScriptTests), DisableParallelization = true)]
public sealed class RunScriptCollection;

/// <summary>
/// The README's run command (ops/run) with demo data, in a data folder and database of its own, stopped
/// as a person stops it: Ctrl-C. It builds and starts the whole system, so it runs alone.
/// </summary>
[Collection(nameof(RunScriptTests))]
public sealed class RunScriptTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("dcassets-run-");

    public Task InitializeAsync() => _db.InitializeAsync();

    public async Task DisposeAsync()
    {
        // Whatever the run left behind is stopped here, so a failing test leaks nothing either.
        await OpsScript.RunAsync(Path.Combine(TestDatabase.RepoRoot(), "ops/snmp-sim/stop"), Env(0));
        await _db.DisposeAsync();
        _data.Delete(true);
    }

    private Dictionary<string, string> Env(int port) => new()
    {
        ["DCASSETS_DB"] = _db.ConnectionString,
        ["DCASSETS_DATA"] = _data.FullName,
        ["DCASSETS_URLS"] = $"http://127.0.0.1:{port}",
        ["Telemetry__TrapPort"] = "0",
    };

    [Fact]
    public async Task Ctrl_C_stops_the_host_and_the_demo_simulators_it_started()
    {
        var port = FreeTcpPort();
        using var run = OpsScript.Start(Path.Combine(TestDatabase.RepoRoot(), "ops/run"), Env(port));
        (await HealthyAsync(run, port)).Should().BeTrue(run.Output);
        var simulators = Directory
            .GetFiles(Path.Combine(_data.FullName, "snmp-sim"), "snmpd.pid", SearchOption.AllDirectories)
            .Select(f => int.Parse(File.ReadAllText(f).Trim())).ToList();
        simulators.Should().HaveCount(4, "the demo starts two UPS and two precision-AC simulators");

        run.Interrupt();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await run.Process.WaitForExitAsync(cts.Token);

        simulators.Where(OpsScript.IsRunning).Should().BeEmpty(run.Output);
        (await AnswersAsync(port)).Should().BeFalse("the web host stopped");
    }

    [Fact]
    public async Task A_first_start_says_each_step_that_it_created_the_schema_the_demo_logins_and_where_to_go()
    {
        var port = FreeTcpPort();
        using var run = OpsScript.Start(Path.Combine(TestDatabase.RepoRoot(), "ops/run"), Env(port));
        var until = DateTime.UtcNow.AddMinutes(8);
        while (!run.Output.Contains("ready: open") && !run.Process.HasExited && DateTime.UtcNow < until)
            await Task.Delay(250);
        run.Interrupt();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await run.Process.WaitForExitAsync(cts.Token);

        run.Output.Should().MatchRegex(@"\[\d\d:\d\d:\d\d\] building").And.Contain("schema 'dcassets' created")
            .And.Contain("demo-engineer / ").And.Contain($"ready: open http://127.0.0.1:{port}");
    }

    private static async Task<bool> HealthyAsync(OpsScript run, int port)
    {
        // The first run builds the host in Release and loads the demo: minutes on two cores.
        var until = DateTime.UtcNow.AddMinutes(8);
        while (DateTime.UtcNow < until && !run.Process.HasExited)
        {
            if (await AnswersAsync(port)) return true;
            await Task.Delay(500);
        }
        return false;
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try { return (await http.GetAsync($"http://127.0.0.1:{port}/health")).StatusCode == HttpStatusCode.OK; }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return false; }
    }

    /// <summary>
    /// A free port below the ephemeral range (32768 and up on Linux): the host binds it minutes later, after
    /// the build, and an ephemeral port may by then be the local end of some database connection.
    /// </summary>
    private static int FreeTcpPort()
    {
        for (var port = 20000 + Random.Shared.Next(5000); port < 32000; port++)
        {
            try
            {
                using var l = new TcpListener(IPAddress.Loopback, port);
                l.Start();
                return port;
            }
            catch (SocketException) { }
        }
        throw new InvalidOperationException("no free port in 20000-32000");
    }
}
