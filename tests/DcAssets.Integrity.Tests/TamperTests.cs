using DcAssets.Integrity.Tests.Infrastructure;
using DcAssets.Testing;
using Marten;

namespace DcAssets.Integrity.Tests;

/// <summary>Each test spoils its own copy of a sealed history one way and expects verify to name where.</summary>
public sealed class TamperTests(SealedHistory history) : IClassFixture<SealedHistory>
{
    [Fact]
    public async Task An_untouched_sealed_history_verifies_intact()
    {
        var result = await VerifyCopyAsync(_ => Task.CompletedTask);
        result.Problems.Should().BeEmpty();
        result.EventsChecked.Should().Be(303);
        result.SealsChecked.Should().Be(3);
    }

    [Fact]
    public async Task An_edited_event_body_is_named_by_its_sequence_number()
    {
        long target = 0;
        var result = await VerifyCopyAsync(async db =>
        {
            target = await Forger.SeqAsync(db, "s-2", 20);
            await db.ExecAsync(
                $"update mt_events set data = jsonb_set(data, '{{Room}}', '\"R99\"') where seq_id = {target}");
        });
        result.FirstBadSeq.Should().Be(target);
        result.First!.Reason.Should().Contain("does not match the event");
    }

    [Fact]
    public async Task Edited_headers_are_named_by_the_event_s_sequence_number()
    {
        long target = 0;
        var result = await VerifyCopyAsync(async db =>
        {
            target = await Forger.SeqAsync(db, "s-3", 7);
            await db.ExecAsync(
                $"update mt_events set headers = jsonb_set(headers, '{{actorId}}', '\"u-0\"') where seq_id = {target}");
        });
        result.FirstBadSeq.Should().Be(target);
    }

    [Fact]
    public async Task Edited_metadata_columns_are_named_by_the_event_s_sequence_number()
    {
        long target = 0;
        var result = await VerifyCopyAsync(async db =>
        {
            target = await Forger.SeqAsync(db, "s-4", 11);
            await db.ExecAsync($"update mt_events set user_name = 'Someone Else' where seq_id = {target}");
        });
        result.FirstBadSeq.Should().Be(target);
    }

    [Fact]
    public async Task An_event_deleted_mid_stream_is_caught_in_its_sealed_range_and_at_its_successor()
    {
        long target = 0, next = 0, rangeStart = 0;
        var result = await VerifyCopyAsync(async db =>
        {
            (target, next) = (await Forger.SeqAsync(db, "s-1", 20), await Forger.SeqAsync(db, "s-1", 21));
            rangeStart = await Forger.SealRangeStartAsync(db, target);
            await Forger.DeleteEventAsync(db, "s-1", 20);
        });
        result.FirstBadSeq.Should().Be(rangeStart);
        result.Problems.Should().Contain(p => p.Seq == next && p.Reason.Contains("follows version 19"));
    }

    [Fact]
    public async Task A_stream_s_newest_event_deleted_with_its_stream_row_rewound_is_caught_by_the_seal()
    {
        long rangeStart = 0;
        var result = await VerifyCopyAsync(async db =>
        {
            var newest = await db.ScalarAsync<long>("select version from mt_streams where id = 's-5'");
            rangeStart = await Forger.SealRangeStartAsync(db, await Forger.SeqAsync(db, "s-5", newest));
            await Forger.DeleteEventAsync(db, "s-5", newest);
            await db.ExecAsync($"update mt_streams set version = {newest - 1} where id = 's-5'");
        });
        result.FirstBadSeq.Should().Be(rangeStart);
        result.First!.Reason.Should().Contain("deleted or inserted");
    }

    [Fact]
    public async Task A_whole_deleted_stream_is_caught_by_the_seal_over_its_first_event()
    {
        var result = await VerifyCopyAsync(db => db.ExecAsync("""
            delete from mt_events where stream_id = 'early';
            delete from mt_integrity_hashes where stream_id = 'early';
            delete from mt_streams where id = 'early';
            """));
        result.FirstBadSeq.Should().Be(1);
    }

    [Fact]
    public async Task A_forged_event_appended_behind_the_application_s_back_is_named()
    {
        long forged = 0;
        var result = await VerifyCopyAsync(async db =>
            forged = await Forger.InsertEventAsync(db, "s-0", seq: null, updateStreamRow: false));
        result.FirstBadSeq.Should().Be(forged);
        result.First!.Reason.Should().Contain("inserted");
    }

    [Fact]
    public async Task A_forged_event_slipped_into_a_burnt_sequence_number_is_caught_by_the_seal()
    {
        long rangeStart = 0;
        var result = await VerifyCopyAsync(async db =>
        {
            rangeStart = await Forger.SealRangeStartAsync(db, history.Burnt);
            await Forger.InsertEventAsync(db, "early", history.Burnt, updateStreamRow: true);
        });
        result.FirstBadSeq.Should().Be(rangeStart);
    }

    [Fact]
    public async Task An_edit_hidden_by_recomputing_the_stream_chain_is_caught_by_the_seal()
    {
        long rangeStart = 0;
        var result = await VerifyCopyAsync(async db =>
        {
            var target = await Forger.SeqAsync(db, "s-2", 25);
            rangeStart = await Forger.SealRangeStartAsync(db, target);
            await db.ExecAsync(
                $"update mt_events set data = jsonb_set(data, '{{Room}}', '\"R-x\"') where seq_id = {target}");
            await Forger.RechainStreamAsync(db, "s-2");
        });
        result.FirstBadSeq.Should().Be(rangeStart);
        result.Problems.Should().OnlyContain(p => p.Reason.Contains("chain recomputed"), "each link checks alone");
    }

    [Fact]
    public async Task A_forged_seal_is_named_by_the_start_of_its_range()
    {
        long from = 0;
        var result = await VerifyCopyAsync(async db =>
        {
            from = await db.ScalarAsync<long>("select from_seq from mt_integrity_seals where seal_no = 2");
            await db.ExecAsync("update mt_integrity_seals set event_count = event_count + 1 where seal_no = 2");
        });
        result.FirstBadSeq.Should().Be(from);
        result.First!.Reason.Should().Contain("invalid signature");
    }

    [Fact]
    public async Task A_deleted_seal_is_named_by_the_start_of_its_range()
    {
        long from = 0;
        var result = await VerifyCopyAsync(async db =>
        {
            from = await db.ScalarAsync<long>("select from_seq from mt_integrity_seals where seal_no = 2");
            await db.ExecAsync("delete from mt_integrity_seals where seal_no = 2");
        });
        result.FirstBadSeq.Should().Be(from);
        result.Problems.Should().Contain(p => p.Reason.Contains("seal #2 deleted"));
    }

    [Fact]
    public async Task Verify_from_a_later_sequence_number_starts_at_the_seal_before_it()
    {
        var result = await VerifyCopyAsync(_ => Task.CompletedTask, fromSeq: 250);
        result.Problems.Should().BeEmpty();
        result.EventsChecked.Should().BeLessThan(303);
    }

    private async Task<VerifyResult> VerifyCopyAsync(Func<TestDatabase, Task> tamper, long fromSeq = 1)
    {
        var copy = await history.CopyAsync();
        try
        {
            await tamper(copy);
            await using var store = DocumentStoreFor(copy);
            return await new HistoryVerifier(store, TestStores.Key).VerifyAsync(fromSeq);
        }
        finally
        {
            await copy.DisposeAsync();
        }
    }

    private static DocumentStore DocumentStoreFor(TestDatabase db) => TestStores.OptionsOnly(db);
}
