using System.Text;
using DcAssets.EventStore.Integrity;
using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests.Daemon;

public sealed class TamperHistory() : SealedHistory(new SealingOptions(Encoding.UTF8.GetBytes("a test seal key that is long enough to use")) { EveryEvents = 40 });

public sealed class TamperTests(TamperHistory history) : IClassFixture<TamperHistory>
{
    [Fact]
    public async Task An_untouched_history_verifies_intact()
    {
        await using var db = await history.CopyAsync();
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        var report = await new HistoryVerifier(store, history.Key).VerifyAsync();
        report.Problems.Should().BeEmpty();
        report.EventsChecked.Should().Be(SealedHistory.Events);
        report.SealsChecked.Should().BeGreaterThanOrEqualTo(7);
        (await new HistoryVerifier(store, history.Key).VerifyAsync(fromPosition: 200)).Problems.Should().BeEmpty("incremental checks start from a seal");
    }

    public static TheoryData<string> Tamperings => [.. Tampering.Kinds];

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task Tampering_behind_the_application_is_found_and_named_by_position(string tampering)
    {
        await using var db = await history.CopyAsync();
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        var expected = await Tampering.ApplyAsync(db, tampering, history.Burnt);

        var report = await new HistoryVerifier(store, history.Key).VerifyAsync();
        report.Intact.Should().BeFalse();
        report.Problems.Should().Contain(p => p.Position == expected, $"{tampering} must be named at position {expected}; got {string.Join(" | ", report.Problems)}");
        report.First!.Position.Should().BeLessThanOrEqualTo(expected);
        if (tampering == "rewritten stream chain")
            report.Problems.Should().OnlyContain(p => p.Reason.Contains("seal"), "the rewritten chain itself is consistent; only the seals can tell");
    }

    [Fact]
    public async Task A_forged_event_in_a_burnt_position_is_named_exactly_and_its_range_by_the_seal()
    {
        await using var db = await history.CopyAsync();
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        var forged = await Tampering.ApplyAsync(db, "forged event in a burnt position", history.Burnt);
        forged.Should().Be(history.Burnt);
        var range = await Tampering.SealRangeStartAsync(db, forged);
        var report = await new HistoryVerifier(store, history.Key).VerifyAsync();
        report.Problems.Should().Contain(p => p.Position == forged && p.Reason.Contains("written after seal"));
        report.Problems.Should().Contain(p => p.Position == range && p.Reason.Contains("inserted"));
        report.Problems.Should().NotContain(p => p.Reason.StartsWith("stream"), "the forger kept the stream chain and record consistent");
    }
}
