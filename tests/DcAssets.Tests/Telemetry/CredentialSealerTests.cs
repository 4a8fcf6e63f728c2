using System.Security.Cryptography;
using System.Text.Json;
using DcAssets.Assets;
using DcAssets.Snmp;
using DcAssets.Snmp.Usm;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Profiles;

namespace DcAssets.Tests.Telemetry;

/// <summary>Deciding a polling configuration: sealed v3 passwords, and every refusal naming its field.</summary>
public sealed class CredentialSealerTests
{
    private static Asset Ups(string tag = "ups-9", AssetCategory category = AssetCategory.Ups) =>
        new() { Id = AssetVocabulary.StreamId(tag), Tag = tag, Details = new AssetDetails(category) };

    private static readonly ConfigurePolling V3 = new("ups-9", "127.0.0.1", "ups-mib", Version: SnmpVersion.V3,
        V3User: new V3UserInput("authPrivUser", AuthProtocol.Sha1, "authpass123", PrivProtocol.Aes128, "privpass123"));

    [Fact]
    public void V3_passwords_are_sealed_in_the_event_and_open_only_with_the_key_for_the_same_asset()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var e = ConfigurePollingHandler.Decide(V3, Ups(), null, new ProfileCatalog(), new CredentialSealer(key));
        var json = JsonSerializer.Serialize(e, DcAssetsStore.Json());
        json.Should().NotContain("authpass123").And.NotContain("privpass123");
        new CredentialSealer(key).Open("ups-9", e.V3User!.PrivPasswordSealed!).Should().Be("privpass123");

        FluentActions.Invoking(() => new CredentialSealer(RandomNumberGenerator.GetBytes(32)).Open("ups-9", e.V3User.AuthPasswordSealed!))
            .Should().Throw<CryptographicException>();
        FluentActions.Invoking(() => new CredentialSealer(key).Open("ups-10", e.V3User.AuthPasswordSealed!))
            .Should().Throw<CryptographicException>();
    }

    [Fact]
    public void V3_credentials_without_a_key_are_refused_rather_than_stored_in_clear()
    {
        FluentActions.Invoking(() => ConfigurePollingHandler.Decide(V3, Ups(), null, new ProfileCatalog(), null))
            .Should().Throw<CommandRejected>().Which.Errors["v3User"].Single().Should().Contain("DCASSETS_CREDENTIAL_KEY");
    }

    private static IReadOnlyDictionary<string, string[]> Refusal(ConfigurePolling c, Asset? asset = null, PollingConfigured? current = null) =>
        FluentActions.Invoking(() => ConfigurePollingHandler.Decide(c, asset ?? Ups(c.AssetId), current, new ProfileCatalog(), null))
            .Should().Throw<CommandRejected>().Which.Errors;

    [Fact]
    public void Bad_configurations_are_refused_naming_the_field()
    {
        var catalog = new ProfileCatalog();
        Refusal(new ConfigurePolling("ups-1", "127.0.0.1", "nope")).Should().ContainKey("profile");
        Refusal(new ConfigurePolling("ups-1", "127.0.0.1", "ups-mib", IntervalSeconds: 1)).Should().ContainKey("intervalSeconds");
        Refusal(new ConfigurePolling("ups-1", " ", "ups-mib", Port: 0)).Keys.Should().BeEquivalentTo(["address", "port"]);
        Refusal(new ConfigurePolling("srv-1", "127.0.0.1", "ups-mib"), Ups("srv-1", AssetCategory.Server)).Should().ContainKey("assetId");
        Refusal(new ConfigurePolling("ac-1", "127.0.0.1", "ups-mib"), Ups("ac-1", AssetCategory.PrecisionAc))["profile"].Single().Should().Contain("for UPS units");
        Refusal(new ConfigurePolling("ups-1", "127.0.0.1", "ups-mib", NominalInputVoltage: 5)).Should().ContainKey("nominalInputVoltage");
        Refusal(new ConfigurePolling("ups-1", "127.0.0.1", "ups-mib", TrapEngineId: "xyz")).Should().ContainKey("trapEngineId");
        FluentActions.Invoking(() => ConfigurePollingHandler.Decide(new ConfigurePolling("ups-1", "127.0.0.1", "ups-mib"), null, null, catalog, null))
            .Should().Throw<CommandRejected>().Which.Kind.Should().Be(RejectionKind.NotFound);
        ConfigurePollingHandler.Decide(new ConfigurePolling("UPS-1", "127.0.0.1", "ups-mib"), Ups("UPS-1"), null, catalog, null).IntervalSeconds.Should().Be(60);
    }

    [Fact]
    public void Rule_overrides_are_checked_against_the_profile_field_by_field()
    {
        var errors = Refusal(new ConfigurePolling("ups-1", "127.0.0.1", "ups-mib", RuleOverrides:
        [
            new RuleOverrideInput("return_air_high"),
            new RuleOverrideInput("output_overload", Severity: "critical", Conditions:
                [new ConditionInput("return_air_temperature", "above", 80), new ConditionInput("output_load.*", "outside", 10, High: 5), new ConditionInput("output_load.1", "below", null)],
                RaiseAfterSeconds: -1, ClearAfterPolls: 0),
            new RuleOverrideInput("device_unreachable", Conditions: [new ConditionInput("battery_charge", "below", 1)], RaiseAfterPolls: 5000),
            new RuleOverrideInput("battery_low", Conditions: []),
            new RuleOverrideInput("on_battery", Enabled: false),
            new RuleOverrideInput("on_battery", Severity: "general"),
        ]));
        errors.Keys.Should().BeEquivalentTo([
            "ruleOverrides[0].rule", "ruleOverrides[1].severity", "ruleOverrides[1].conditions[0].reading", "ruleOverrides[1].conditions[1].high",
            "ruleOverrides[1].conditions[2].value", "ruleOverrides[1].raiseAfterSeconds", "ruleOverrides[1].clearAfterPolls",
            "ruleOverrides[2].conditions", "ruleOverrides[2].raiseAfterPolls", "ruleOverrides[3].conditions", "ruleOverrides"]);
        errors["ruleOverrides[0].rule"].Single().Should().Contain("device_unreachable", "the message lists the rules there are");
    }

    [Fact]
    public void Overrides_and_the_nominal_voltage_are_kept_when_left_out_and_cleared_by_an_empty_list()
    {
        var catalog = new ProfileCatalog();
        var first = ConfigurePollingHandler.Decide(new ConfigurePolling("ups-1", "127.0.0.1", "ups-mib", NominalInputVoltage: 230, RuleOverrides:
            [new RuleOverrideInput("output_overload", Conditions: [new ConditionInput("output_load.*", "above", 70, Hysteresis: 3)], RaiseAfterSeconds: 30),
             new RuleOverrideInput("device_unreachable", Severity: "urgent", RaiseAfterPolls: 5)]), Ups("ups-1"), null, catalog, null);
        first.RuleOverrides!.Select(o => o.Rule).Should().Equal("output_overload", "device_unreachable");
        first.RuleOverrides![0].Conditions!.Single().Should().Be(new DcAssets.Telemetry.Alarms.AlarmCondition("output_load.*", DcAssets.Telemetry.Alarms.Comparison.Above, 70, null, 3));
        first.RuleOverrides![0].RaiseAfter.Should().Be(TimeSpan.FromSeconds(30));

        var kept = ConfigurePollingHandler.Decide(new ConfigurePolling("ups-1", "10.0.0.1", "ups-mib"), Ups("ups-1"), first, catalog, null);
        kept.RuleOverrides.Should().BeEquivalentTo(first.RuleOverrides);
        kept.NominalInputVoltage.Should().Be(230);
        kept.Address.Should().Be("10.0.0.1");
        ConfigurePollingHandler.Decide(new ConfigurePolling("ups-1", "10.0.0.1", "ups-mib", RuleOverrides: []), Ups("ups-1"), first, catalog, null)
            .RuleOverrides.Should().BeNull();

        // What the API shows is what it takes back.
        RuleOverrideInput.From(first.RuleOverrides![1]).Should().Be(new RuleOverrideInput("device_unreachable", true, "urgent", RaiseAfterPolls: 5));
    }
}
