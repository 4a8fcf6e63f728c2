using System.Diagnostics;
using DcAssets.Testing;
using DcAssets.Telemetry.Polling;
using DcAssets.Tests.Cli;

namespace DcAssets.Tests.Telemetry;

/// <summary>`dcassets telemetry check-profile|configure|remove` as an operator runs them.</summary>
public sealed class TelemetryCommandTests(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dcassets-profiles-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Shipped_profiles_check_out_and_a_broken_one_exits_1_naming_file_and_line()
    {
        var shipped = Path.Combine(TestDatabase.RepoRoot(), "templates", "snmp-profiles", "eaton-xups.yaml");
        var ok = CliProcess.Run("", "telemetry", "check-profile", shipped);
        ok.Exit.Should().Be(0, ok.Err);
        ok.Out.Should().Contain("eaton-xups, ups, 8 readings, 4 rules");

        var broken = Path.Combine(_dir, "broken.yaml");
        File.WriteAllText(broken, "name: broken\nkind: ac\nreadings:\n  - { name: humidity, oid: 1.3.6.1.4.1.476.1.42.3.4.2.2.3.1.3.1, unit: '%RH', scale: ten }\n");
        var bad = CliProcess.Run("", "telemetry", "check-profile", broken);
        bad.Exit.Should().Be(1);
        bad.Err.Trim().Should().Be($"broken.yaml:4: 'scale' must be a number, not 'ten'");
    }

    [Fact]
    public async Task Configure_checks_what_the_api_checks_keeps_overrides_and_remove_stops_polling()
    {
        using (var store = await ProductStore.OpenAsync(db.ConnectionString))
            foreach (var (tag, category) in new[] { ("UPS-C1", "ups"), ("SRV-C1", "server") })
                await DcAssets.Assets.AssetStream.RegisterAsync(store, Infrastructure.TelemetryHarness.Engineer, new DcAssets.Assets.AssetInput { Tag = tag, Category = category }, default);
        string[] at = ["--address", "127.0.0.1", "--port", "16100"];

        Refused(["SRV-C1", .. at, "--profile", "ups-mib"], "error: assetId: SRV-C1 is a server; only UPS and precision AC assets are polled");
        Refused(["NOPE-1", .. at, "--profile", "ups-mib"], "error: assetId: no asset 'NOPE-1' in the register");
        Refused(["UPS-C1", .. at, "--profile", "liebert-ac"], "profile: 'liebert-ac' is for precision AC units; UPS-C1 is a ups");
        Refused(["UPS-C1", .. at, "--profile", "ups-mib", "--interval", "1"], "intervalSeconds: must be 2 s to 1 day");
        Refused(["UPS-C1", .. at, "--profile", "ups-mib", "--rule-overrides", """[{"rule":"on_fire"}]"""], "ruleOverrides[0].rule: 'on_fire' is not a rule of ups-mib");
        Refused(["UPS-C1", .. at, "--profile", "ups-mib", "--rule-overrides", """[{"rule":"output_overload","conditions":[{"reading":"output_load.*","op":"hotter","value":70}]}]"""],
            "ruleOverrides[0].conditions[0].op: 'hotter' must be above, below, equal, not_equal or outside");
        Refused(["UPS-C1", .. at, "--profile", "ups-mib", "--rule-overrides", "not json"], "error: --rule-overrides: not a JSON array");

        // The YAML profiles of templates/snmp-profiles are found without --profiles-dir, as the web node finds them.
        var ok = Run(["telemetry", "configure", "UPS-C1", .. at, "--profile", "eaton-xups", "--interval", "10",
            "--rule-overrides", """[{"rule":"output_overload","conditions":[{"reading":"output_load.*","op":"above","value":70}]},{"rule":"device_unreachable","raiseAfterPolls":5}]"""]);
        ok.Exit.Should().Be(0, ok.Err);
        ok.Out.Trim().Should().Be("UPS-C1: polled every 10 s with eaton-xups at 127.0.0.1:16100 (2 rule overrides)");
        var again = Run(["telemetry", "configure", "ups-c1", .. at, "--profile", "eaton-xups", "--interval", "20", "--nominal-input-voltage", "230"]);
        again.Exit.Should().Be(0, again.Err);
        again.Out.Should().Contain("UPS-C1: polled every 20 s").And.Contain("(2 rule overrides)", "overrides left out are kept");
        using (var store = Marten.DocumentStore.For(o => DcAssetsStore.ConfigureMarten(o, db.ConnectionString)))
        await using (var q = store.QuerySession())
        {
            var config = (await q.LoadAsync<PolledDevice>("UPS-C1"))!.Config;
            config.NominalInputVoltage.Should().Be(230);
            config.RuleOverrides!.Single(o => o.Rule == "device_unreachable").RaiseAfterPolls.Should().Be(5);
        }

        var removed = Run(["telemetry", "remove", "UPS-C1"]);
        removed.Exit.Should().Be(0, removed.Err);
        removed.Out.Trim().Should().Be("UPS-C1: no longer polled");
        Refused(["remove", "UPS-C1"], "error: assetId: UPS-C1 is not polled", configure: false);
        (await db.ScalarAsync<long>("select count(*) from dcassets.mt_events where type = 'polling_configured'"))
            .Should().Be(2, "refusals append nothing");
    }

    private void Refused(string[] args, string message, bool configure = true)
    {
        var r = Run(configure ? ["telemetry", "configure", .. args] : ["telemetry", .. args]);
        r.Exit.Should().Be(1, r.Out);
        r.Err.Should().Contain(message).And.NotContain("   at ");
        r.Err.Trim().Split('\n').Should().ContainSingle("an error is one line");
    }

    private (int Exit, string Out, string Err) Run(string[] args)
    {
        var dll = Path.Combine(TestDatabase.RepoRoot(), "src", "DcAssets.Cli", "bin", "Debug", "net10.0", "DcAssets.Cli.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DCASSETS_DB"] = db.ConnectionString;
        psi.Environment["DCASSETS_SEAL_KEY"] = CliProcess.SealKey;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) p.Kill(true);
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
