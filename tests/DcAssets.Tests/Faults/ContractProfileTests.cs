using DcAssets.Faults;
using DcAssets.Testing;

namespace DcAssets.Tests.Faults;

/// <summary>The contract's fault terms as users edit them in templates/contracts.</summary>
public sealed class ContractProfileTests
{
    private static ContractProfile Shipped =>
        ContractProfile.Load(ContractProfile.DefaultPath(TestDatabase.RepoRoot()));

    [Fact]
    public void The_shipped_profile_holds_the_seed_contracts_levels_and_restore_limits()
    {
        Shipped.Levels.Select(l => (l.Id, l.RestoreWithin.TotalHours)).Should()
            .Equal(("major", 1), ("urgent", 5), ("general", 24), ("network", 2));
        Shipped.Level("major")!.Name.Should().Be("重大故障");
    }

    [Fact]
    public void The_shipped_profile_holds_the_response_limit_and_the_periods_targets()
    {
        Shipped.RespondWithin.Should().Be(TimeSpan.FromMinutes(30));
        Shipped.Targets.Should().Be(new ContractTargets(0, 3, TimeSpan.FromHours(4), 0.99, 1.0));
    }

    [Fact]
    public void A_level_without_its_restore_limit_is_refused_naming_the_file_line_and_key()
    {
        var yaml = """
            name: x
            response_minutes: 30
            first_report_minutes: 30
            levels:
              - id: major
                name: 重大故障
                definition: d
            targets: { max_major: 0, max_urgent: 3, mean_restore_hours: 4, elimination_rate: 0.99, response_rate: 1 }
            """;
        var act = () => ContractProfile.Parse(yaml, "mine.yaml");
        act.Should().Throw<ContractFormatException>().WithMessage("mine.yaml:5: 'restore_hours' is missing");
    }

    [Fact]
    public void A_level_listed_twice_is_refused()
    {
        var yaml = """
            name: x
            response_minutes: 30
            first_report_minutes: 30
            levels:
              - { id: major, name: a, definition: d, restore_hours: 1 }
              - { id: major, name: b, definition: d, restore_hours: 2 }
            targets: { max_major: 0, max_urgent: 3, mean_restore_hours: 4, elimination_rate: 0.99, response_rate: 1 }
            """;
        var act = () => ContractProfile.Parse(yaml, "mine.yaml");
        act.Should().Throw<ContractFormatException>().WithMessage("*level 'major' appears twice*");
    }
}
