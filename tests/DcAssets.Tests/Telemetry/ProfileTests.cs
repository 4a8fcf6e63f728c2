using DcAssets.Testing;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Profiles;

namespace DcAssets.Tests.Telemetry;

public sealed class ProfileTests
{
    [Fact]
    public void Built_in_profiles_name_every_reading_once_with_a_unit_and_a_parsable_oid()
    {
        BuiltInProfiles.All.Select(p => p.Name).Should().BeEquivalentTo(["ups-mib", "apc-powernet", "liebert-ac"]);
        foreach (var p in BuiltInProfiles.All)
        {
            p.Readings.Select(r => r.Name).Should().OnlyHaveUniqueItems();
            p.Readings.Should().AllSatisfy(r => { r.Unit.Should().NotBeEmpty(); DcAssets.Snmp.Oid.TryParse(r.Oid, out _).Should().BeTrue(r.Oid); });
        }
    }

    [Fact]
    public void Apc_run_time_arrives_in_timeticks_and_is_scaled_to_minutes()
    {
        var runtime = new ProfileCatalog().Get("apc-powernet").Readings.Single(r => r.Name == "battery_minutes_remaining");
        runtime.Oid.Should().Be("1.3.6.1.4.1.318.1.1.1.2.2.3.0");
        (360000 * runtime.Scale).Should().BeApproximately(60, 1e-9); // one hour of TimeTicks
    }

    [Fact]
    public void Shipped_yaml_profiles_load()
    {
        var catalog = ProfileCatalog.Load(Path.Combine(TestDatabase.RepoRoot(), "templates", "snmp-profiles"));
        var eaton = catalog.Get("eaton-xups");
        eaton.Kind.Should().Be(DeviceKind.Ups);
        eaton.Readings.Single(r => r.Name == "battery_minutes_remaining").Scale.Should().BeApproximately(1.0 / 60, 1e-12);
        eaton.Rules.Select(r => r.Id).Should().Contain(["on_battery", "battery_low", "output_overload"]);
    }

    [Fact]
    public void A_yaml_profile_without_rules_gets_the_defaults_of_its_kind()
    {
        var p = ProfileYaml.Parse("""
            name: my-crac
            kind: ac
            readings:
              - { name: return_air_temperature, oid: .1.3.6.1.4.1.9999.1.1.0, unit: °C, scale: 0.1 }
            """);
        p.Readings.Single().Oid.Should().Be("1.3.6.1.4.1.9999.1.1.0");
        p.Rules.Select(r => r.Id).Should().Contain("return_air_high");
    }

    [Fact]
    public void Broken_yaml_syntax_is_reported_with_its_line()
    {
        var act = () => ProfileYaml.Parse("name: x\nkind: ups\nreadings:\n  - { name: a, oid: 1.3.6.1\n  - name: b\n", "broken.yaml");
        act.Should().Throw<ProfileFormatException>().Which.Message.Should().StartWith("broken.yaml:").And.MatchRegex(@"^broken\.yaml:[45]: ");
    }

    [Fact]
    public void A_bad_oid_names_the_line_of_the_reading()
    {
        var act = () => ProfileYaml.Parse("""
            name: vendor-x
            kind: ups
            readings:
              - name: battery_charge
                oid: 1.3.6.1.4.1.1.2.4.0
                unit: "%"
              - name: battery_voltage
                oid: 1.3.six.1
                unit: V
            """, "vendor-x.yaml");
        var e = act.Should().Throw<ProfileFormatException>().Which;
        e.Line.Should().Be(8);
        e.Message.Should().Be("vendor-x.yaml:8: '1.3.six.1' is not a numeric OID");
    }

    [Fact]
    public void A_rule_on_an_undefined_reading_names_its_line()
    {
        var act = () => ProfileYaml.Parse("""
            name: vendor-y
            kind: ac
            readings:
              - { name: humidity, oid: 1.3.6.1.4.1.1.1.0, unit: "%RH" }
            rules:
              - id: too_hot
                severity: urgent
                conditions:
                  - { reading: return_air, op: above, value: 27 }
            """, "vendor-y.yaml");
        act.Should().Throw<ProfileFormatException>().WithMessage("vendor-y.yaml:9: rule 'too_hot' tests reading 'return_air'*");
    }

    [Fact]
    public void Missing_fields_and_bad_values_name_their_lines()
    {
        FluentActions.Invoking(() => ProfileYaml.Parse("name: z\nkind: fridge\nreadings: []\n", "z.yaml"))
            .Should().Throw<ProfileFormatException>().WithMessage("z.yaml:2: kind 'fridge' must be ups or ac");
        FluentActions.Invoking(() => ProfileYaml.Parse("name: z\nkind: ups\nreadings:\n  - { name: a, oid: 1.3.6.1, scale: lots }\n", "z.yaml"))
            .Should().Throw<ProfileFormatException>().WithMessage("z.yaml:4: 'scale' must be a number, not 'lots'");
        FluentActions.Invoking(() => ProfileYaml.Parse("name: z\nreadings: []\n", "z.yaml"))
            .Should().Throw<ProfileFormatException>().WithMessage("z.yaml:1: 'kind' is missing");
    }

    [Fact]
    public void Per_asset_overrides_change_or_drop_a_profile_rule()
    {
        var rules = new ProfileCatalog().Get("ups-mib").Rules;
        var applied = RuleOverride.Apply(rules,
        [
            new RuleOverride("output_overload") { Conditions = [new AlarmCondition("output_load.*", Comparison.Above, 90, Hysteresis: 5)] },
            new RuleOverride("battery_temperature_high") { Enabled = false },
        ]);
        applied.Single(r => r.Id == "output_overload").Conditions.Single().Value.Should().Be(90);
        applied.Should().NotContain(r => r.Id == "battery_temperature_high");
        applied.Single(r => r.Id == "on_battery").Severity.Should().Be(FaultLevel.Major);
    }
}
