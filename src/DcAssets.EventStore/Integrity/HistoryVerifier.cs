using System.Diagnostics;
using DcAssets.EventStore.Hashing;
using Npgsql;

namespace DcAssets.EventStore.Integrity;

public sealed record Tamper(long? Position, string Reason);

public sealed record VerifyReport(long EventsChecked, int StreamsChecked, int SealsChecked, long FromPosition, TimeSpan Elapsed,
    bool SealsVerifiable, IReadOnlyList<Tamper> Problems)
{
    public bool Intact => Problems.Count == 0;
    public Tamper? First => Problems.OrderBy(p => p.Position ?? long.MaxValue).FirstOrDefault();
}

/// <summary>
/// Recomputes every stream chain from the events' content, folds the global chain and checks it
/// against every seal (signature, digest, count, and the seals' own numbered chain), and compares
/// the streams table and the sealer's state with the events, all in one snapshot (see
/// <see cref="VerifySnapshot"/>). Anything changed, inserted or deleted behind the application's
/// back shows up as a problem naming the first position that does not match.
/// </summary>
public sealed class HistoryVerifier(EventStore store, SealingOptions? sealing)
{
    private const int Page = 10_000;
    private readonly List<Tamper> _problems = [];
    private readonly HashSet<long> _badSignatures = [];

    public async Task<VerifyReport> VerifyAsync(long fromPosition = 0, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        await using var snapshot = await VerifySnapshot.OpenAsync(store.DataSource, ct);
        var seals = await SealRow.LoadAsync(snapshot.Lookups, store.Schema, ct);
        var sealer = await SealerState.LoadAsync(snapshot.Lookups, store.Schema, ct);
        foreach (var seal in seals) CheckSignature(seal);
        _problems.AddRange(SealSequence.Check(seals, sealer));

        // Incremental runs start from the last seal at or before the position: its digest is trusted once its signature is.
        var start = seals.LastOrDefault(x => x.UpTo < fromPosition);
        var global = start?.Digest ?? [];
        long count = start?.Count ?? 0, position = start?.UpTo ?? 0, previousSealEnd = position, checkedEvents = 0;
        var pending = new Queue<SealRow>(seals.Where(x => x.UpTo > position));
        var streams = new Dictionary<string, (long Version, byte[] Hash)>(StringComparer.Ordinal);
        var sealsChecked = 0;

        var next = EventRow.ReadPageAsync(snapshot.Pages, store.Schema, position, Page, ct);
        while (true)
        {
            var rows = await next;
            if (rows.Count == 0) break;
            next = EventRow.ReadPageAsync(snapshot.Pages, store.Schema, rows[^1].Position, Page, ct); // read ahead while hashing
            EventRow.ComputeDigests(rows);
            if (position > 0) await PriorHashesAsync(snapshot.Lookups, rows, streams, ct);
            foreach (var row in rows)
            {
                while (pending.Count > 0 && pending.Peek().UpTo < row.Position)
                {
                    (global, count) = CheckSeal(pending.Dequeue(), global, count, ref previousSealEnd);
                    sealsChecked++;
                }
                CheckLink(row, streams);
                if (pending.Count > 0 && row.TxId > pending.Peek().TxId)
                    _problems.Add(new(row.Position, $"the event at position {row.Position} (stream '{row.StreamId}' version {row.Version}) was written after seal {pending.Peek().Name} had sealed its range: it was inserted behind the application's back"));
                global = GlobalChain.Step(global, row.Position, row.Hash);
                count++;
            }
            checkedEvents += rows.Count;
            position = rows[^1].Position;
            progress?.Report(position);
        }
        while (pending.Count > 0)
        {
            (global, count) = CheckSeal(pending.Dequeue(), global, count, ref previousSealEnd);
            sealsChecked++;
        }
        if (sealer is not null && seals.Count > 0) await CheckUnsealedTailAsync(snapshot.Lookups, seals[^1], sealer, ct);
        await CheckStreamTableAsync(snapshot.Lookups, streams, fromPosition == 0, ct);
        return new VerifyReport(checkedEvents, streams.Count, sealsChecked, fromPosition, sw.Elapsed, sealing is not null, _problems);
    }

    private void CheckSignature(SealRow seal)
    {
        if (sealing is null) return;
        if (seal.KeyId != sealing.KeyId)
        {
            _badSignatures.Add(seal.Id);
            _problems.Add(new(seal.UpTo, $"seal {seal.Name} names key {seal.KeyId}, not the configured key {sealing.KeyId}"));
            return;
        }
        var expected = seal.No is { } no
            ? GlobalChain.Sign(sealing.Key, no, seal.UpTo, seal.Digest, seal.Count, seal.SealedAt, seal.KeyId, seal.PreviousSignature)
            : GlobalChain.SignUnnumbered(sealing.Key, seal.UpTo, seal.Digest, seal.Count, seal.SealedAt, seal.KeyId);
        if (expected.AsSpan().SequenceEqual(seal.Signature)) return;
        _badSignatures.Add(seal.Id);
        _problems.Add(new(seal.UpTo, $"seal {seal.Name} (up to position {seal.UpTo}) has an invalid signature: the seal itself was rewritten"));
    }

    // After a mismatch the fold resumes from the seal itself (once its signature holds), so each
    // tampered range is reported once and later ranges are judged on their own.
    private (byte[], long) CheckSeal(SealRow seal, byte[] global, long count, ref long rangeStart)
    {
        var from = rangeStart + 1;
        rangeStart = seal.UpTo;
        if (count != seal.Count)
            _problems.Add(new(from, $"seal {seal.Name} counts {seal.Count} events up to position {seal.UpTo}, the table holds {count}: events in positions {from}..{seal.UpTo} were deleted or inserted"));
        else if (!global.AsSpan().SequenceEqual(seal.Digest))
            _problems.Add(new(from, $"seal {seal.Name} does not match the chain over positions {from}..{seal.UpTo}: an event there was changed, and its stream chain rewritten to hide it"));
        else
            return (global, count);
        return _badSignatures.Contains(seal.Id) ? (global, count) : (seal.Digest, seal.Count);
    }

    /// <summary>
    /// Events the sealer has already read but no seal covers: it seals them within N events, and
    /// records what it folded in the same transaction as its seals, so such events mean seals
    /// (or the sealer's memory) were removed. Events it has not reached yet are the allowed tail.
    /// </summary>
    private async Task CheckUnsealedTailAsync(NpgsqlConnection conn, SealRow last, SealerState sealer, CancellationToken ct)
    {
        if (sealer.LastSealNo > (last.No ?? 0) || sealer.SealedCount > last.Count) return; // reported by SealSequence
        await using var cmd = new NpgsqlCommand(
            $"select count(*), min(seq) from {store.Schema}.events where seq > $1 and seq <= $2", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = sealer.FoldedUpTo });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sealer.Progress });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        if (r.GetInt64(0) > 0)
            _problems.Add(new(r.GetInt64(1), $"{r.GetInt64(0)} events from position {r.GetInt64(1)} up to {sealer.Progress} were passed by the sealer but are in no seal and not in its chain: seals or the sealer's state were rolled back"));
    }

    private void CheckLink(EventRow row, Dictionary<string, (long Version, byte[] Hash)> streams)
    {
        var (version, previous) = streams.TryGetValue(row.StreamId, out var s) ? s : (0L, Array.Empty<byte>());
        if (row.Version != version + 1)
            _problems.Add(new(row.Position, $"stream '{row.StreamId}' goes from version {version} to {row.Version}: an event was deleted or inserted"));
        else if (!EventDigest.Chain(previous, row.Version, row.Digest!).AsSpan().SequenceEqual(row.Hash))
            _problems.Add(new(row.Position, $"stream '{row.StreamId}' version {row.Version}: the stored hash does not match the event (data, metadata, type or time changed)"));
        streams[row.StreamId] = (row.Version, row.Hash); // go on from what is stored, so one change is reported once
    }

    // For incremental runs: the stored hash before each stream's first event in range.
    private async Task PriorHashesAsync(NpgsqlConnection conn, List<EventRow> rows, Dictionary<string, (long, byte[])> streams, CancellationToken ct)
    {
        // Each stream's first event in the page decides: one that starts its stream needs nothing before it.
        var wanted = rows.Where(r => !streams.ContainsKey(r.StreamId)).GroupBy(r => r.StreamId).Select(g => g.First()).Where(r => r.Version > 1).ToList();
        if (wanted.Count == 0) return;
        await using var cmd = new NpgsqlCommand(
            $"select e.stream_id, e.version, e.hash from {store.Schema}.events e join unnest($1::text[], $2::bigint[]) as w(id, v) on e.stream_id = w.id and e.version = w.v", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = wanted.Select(w => w.StreamId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = wanted.Select(w => w.Version - 1).ToArray() });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) streams[r.GetString(0)] = (r.GetInt64(1), (byte[])r[2]);
    }

    private async Task CheckStreamTableAsync(NpgsqlConnection conn, Dictionary<string, (long Version, byte[] Hash)> seen, bool complete, CancellationToken ct)
    {
        var recorded = new Dictionary<string, (long Version, byte[] Hash)>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand($"select id, version, last_hash from {store.Schema}.streams where version > 0", conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) recorded[r.GetString(0)] = (r.GetInt64(1), r.IsDBNull(2) ? [] : (byte[])r[2]);

        foreach (var (id, rec) in recorded)
        {
            if (!seen.TryGetValue(id, out var last))
            {
                if (complete) _problems.Add(new(null, $"stream '{id}' is recorded at version {rec.Version} but has no events: they were deleted"));
            }
            else if (last.Version > rec.Version)
                _problems.Add(new(await PositionOfAsync(conn, id, rec.Version + 1, ct), $"stream '{id}' is recorded at version {rec.Version}, but has events up to version {last.Version}: they were inserted behind the application's back"));
            else if (last.Version < rec.Version)
                _problems.Add(new(null, $"stream '{id}' is recorded at version {rec.Version}, but its events end at version {last.Version}: its last events were deleted"));
            else if (!last.Hash.AsSpan().SequenceEqual(rec.Hash))
                _problems.Add(new(null, $"stream '{id}': the recorded head hash differs from its last event's hash"));
        }
        foreach (var id in seen.Keys.Where(id => !recorded.ContainsKey(id)))
            _problems.Add(new(await PositionOfAsync(conn, id, 1, ct), $"stream '{id}' has events but no stream record: they were inserted behind the application's back"));
    }

    private async Task<long?> PositionOfAsync(NpgsqlConnection conn, string streamId, long version, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select seq from {store.Schema}.events where stream_id = $1 and version = $2", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = streamId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = version });
        return await cmd.ExecuteScalarAsync(ct) as long?;
    }
}
