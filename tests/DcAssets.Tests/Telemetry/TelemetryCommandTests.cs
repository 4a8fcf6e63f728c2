using DcAssets.Tests.Cli;

namespace DcAssets.Tests.Telemetry;

/// <summary>`dcassets telemetry check-profile` as an operator runs it, on the shipped profiles and on a broken one.</summary>
public sealed class TelemetryCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dcassets-profiles-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Shipped_profiles_check_out_and_a_broken_one_exits_1_naming_file_and_line()
    {
        var shipped = Path.Combine(EventStore.Tests.Infrastructure.TestDatabase.RepoRoot(), "templates", "snmp-profiles", "eaton-xups.yaml");
        var ok = CliProcess.Run("", "telemetry", "check-profile", shipped);
        ok.Exit.Should().Be(0, ok.Err);
        ok.Out.Should().Contain("eaton-xups, ups, 7 readings, 3 rules");

        var broken = Path.Combine(_dir, "broken.yaml");
        File.WriteAllText(broken, "name: broken\nkind: ac\nreadings:\n  - { name: humidity, oid: 1.3.6.1.4.1.476.1.42.3.4.2.2.3.1.3.1, unit: '%RH', scale: ten }\n");
        var bad = CliProcess.Run("", "telemetry", "check-profile", broken);
        bad.Exit.Should().Be(1);
        bad.Err.Trim().Should().Be($"broken.yaml:4: 'scale' must be a number, not 'ten'");
    }
}
