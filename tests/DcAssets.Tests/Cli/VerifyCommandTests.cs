using System.Text;
using DcAssets.EventStore;
using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Integrity;
using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.Tests.Cli;

public sealed class CliSealedHistory() : SealedHistory(new SealingOptions(Encoding.UTF8.GetBytes(CliProcess.SealKey)) { EveryEvents = 40 });

public sealed class VerifyCommandTests(CliSealedHistory history) : IClassFixture<CliSealedHistory>
{
    [Fact]
    public async Task Verify_exits_0_on_a_sealed_history_and_status_shows_the_sealer_caught_up()
    {
        await using var db = await history.CopyAsync();
        var (exit, output, _) = CliProcess.Run(db.ConnectionString, "verify");
        exit.Should().Be(0, output);
        output.Should().MatchRegex($@"checked {SealedHistory.Events} events in 7 streams and \d+ seals from position 0").And.Contain("intact");

        var status = CliProcess.Run(db.ConnectionString, "projections", "status");
        status.Exit.Should().Be(0);
        var head = await db.ScalarAsync<long>("select max(seq) from dcassets.events");
        status.Out.Should().MatchRegex(@$"sealer\s+running\s+{head}\s+{head}\s+0");
    }

    public static TheoryData<string> Tamperings => [.. Tampering.Kinds];

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task Verify_exits_1_and_names_the_position_of_each_kind_of_tampering(string tampering)
    {
        await using var db = await history.CopyAsync();
        var expected = await Tampering.ApplyAsync(db, tampering, history.Burnt);
        var (exit, output, err) = CliProcess.Run(db.ConnectionString, "verify");
        exit.Should().Be(1, output + err);
        output.Should().MatchRegex(@"TAMPERED: first mismatch at position \d+: ");
        output.Should().MatchRegex($@"(first mismatch at position|also at) {expected}: ", $"{tampering} must be named at position {expected}");
        var first = long.Parse(System.Text.RegularExpressions.Regex.Match(output, @"first mismatch at position (\d+)").Groups[1].Value);
        first.Should().BeLessThanOrEqualTo(expected);
    }

    [Fact]
    public async Task Verify_from_a_position_checks_only_from_the_seal_before_it_and_still_finds_later_tampering()
    {
        await using var db = await history.CopyAsync();
        var late = await Tampering.PositionAsync(db, "audit-2", 45);
        var from = late - 50;
        var (exit, output, _) = CliProcess.Run(db.ConnectionString, "verify", "--from", from.ToString());
        exit.Should().Be(0, output);
        var checkedEvents = long.Parse(System.Text.RegularExpressions.Regex.Match(output, @"checked (\d+) events").Groups[1].Value);
        checkedEvents.Should().BeGreaterThan(0).And.BeLessThan(SealedHistory.Events, "an incremental run starts from the last seal before the position");
        output.Should().Contain($"from position {from}");

        await db.ExecAsync($"update dcassets.events set data = jsonb_set(data::jsonb, '{{room}}', '\"R-late\"')::json where seq = {late}");
        (exit, output, _) = CliProcess.Run(db.ConnectionString, "verify", "--from", from.ToString());
        exit.Should().Be(1, output);
        output.Should().Contain($"TAMPERED: first mismatch at position {late}: ");
    }

    [Fact]
    public void Verify_exits_2_with_one_line_when_the_database_cannot_be_reached()
    {
        // Nothing listens on port 1: the connection is refused at once.
        var (exit, output, err) = CliProcess.Run("Host=127.0.0.1;Port=1;Username=postgres;Database=dcassets;Timeout=5", "verify");
        exit.Should().Be(2, output + err);
        err.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("error: verify could not check the history: ").And.Contain("unavailable");
        err.Should().NotContain(" at ", "no stack trace");

        var bad = CliProcess.Run("Host=127.0.0.1;Port=1", "verify", "--from", "-5");
        bad.Exit.Should().Be(2);
        bad.Err.Should().Contain("--from must be a position");
    }

    [Fact]
    public void Verify_exits_2_with_one_line_naming_from_when_it_is_not_a_number()
    {
        // Exit 1 means tampered: a typo in an argument must never read as that.
        var (exit, output, err) = CliProcess.Run("Host=127.0.0.1;Port=1", "verify", "--from", "abc");
        exit.Should().Be(2, output + err);
        err.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("--from").And.Contain("'abc'");
    }

    [Fact]
    public async Task Rebuilding_an_unknown_projection_is_refused_with_its_name()
    {
        await using var db = await history.CopyAsync();
        var bad = CliProcess.Run(db.ConnectionString, "projections", "rebuild", "no_such_projection");
        bad.Exit.Should().Be(1);
        bad.Err.Should().Contain("no async projection is named 'no_such_projection'");
    }
}
