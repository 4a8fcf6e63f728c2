using DcAssets.Telemetry.Polling;
using DcAssets.Tests.Telemetry.Infrastructure;

namespace DcAssets.Tests.Telemetry;

/// <summary>Changing a device's polling on the real database: what is kept when left out must still fit.</summary>
public sealed class ConfigurePollingTests : IAsyncLifetime
{
    private readonly TelemetryHarness _h = new();

    public Task InitializeAsync() => _h.InitializeAsync();

    public Task DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task Kept_rule_overrides_that_do_not_fit_a_new_profile_are_refused_naming_rule_overrides()
    {
        await _h.ConfigureAsync(new ConfigurePolling("ups-p1", "127.0.0.1", "ups-mib", 16100, RuleOverrides:
            [new RuleOverrideInput("battery_temperature_high", Severity: "major"),
             new RuleOverrideInput("output_overload", Conditions: [new ConditionInput("battery_temperature", "above", 45)])]));
        var before = await _h.EventsAsync<PollingConfigured>("ups-p1");

        // eaton-xups has neither the rule nor the reading.
        var refused = await FluentActions.Awaiting(() => _h.ConfigureAsync(new ConfigurePolling("ups-p1", "127.0.0.1", "eaton-xups", 16100)))
            .Should().ThrowAsync<CommandRejected>();
        refused.Which.Errors.Keys.Should().Equal("ruleOverrides");
        refused.Which.Errors["ruleOverrides"].Single().Should().Contain("eaton-xups")
            .And.Contain("'battery_temperature_high' is not a rule").And.Contain("'battery_temperature' is not a reading");
        (await _h.EventsAsync<PollingConfigured>("ups-p1")).Should().HaveCount(before.Count, "a refusal appends nothing");

        // Saying which overrides the new profile gets makes the change; kept ones that fit go along to the next profile.
        var changed = await _h.ConfigureAsync(new ConfigurePolling("ups-p1", "127.0.0.1", "eaton-xups", 16100, RuleOverrides: [new RuleOverrideInput("output_overload", Severity: "major")]));
        changed.Profile.Should().Be("eaton-xups");
        (await _h.ConfigureAsync(new ConfigurePolling("ups-p1", "127.0.0.1", "ups-mib", 16100))).RuleOverrides.Should().ContainSingle().Which.Rule.Should().Be("output_overload");
    }
}
