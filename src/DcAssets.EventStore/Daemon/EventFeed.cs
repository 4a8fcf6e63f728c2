using System.Data;
using System.Globalization;
using Npgsql;

namespace DcAssets.EventStore.Daemon;

/// <summary>An event row as the daemon reads it: raw JSON, parsed only by the consumers that want it.</summary>
/// <remarks>
/// Data and metadata are the stored UTF-8 JSON bytes (the parser reads them as they are); data only
/// for types a consumer wants, the chain hash only for consumers that fold it (the sealer).
/// </remarks>
public sealed record FeedEvent(long Position, string StreamId, long Version, string TypeName, byte[]? Data, byte[] Metadata,
    DateTimeOffset RecordedAt, byte[]? Hash);

/// <summary>Events safe to process, and the position the consumer may record after them.</summary>
public sealed record FeedPage(IReadOnlyList<FeedEvent> Events, long Position);

/// <summary>
/// Reads events in position order without ever passing one that may still commit, and without
/// waiting forever on a position that will never commit.
///
/// Why it is safe: every append path writes the stream row (so takes a transaction id) before it
/// takes a position. A page stops at its first gap. When a gap at P is first seen under snapshot S,
/// every position below the next visible one was handed out before S, to a transaction whose id was
/// assigned before S. The feed then takes a transaction id of its own, B, which is above every id
/// assigned so far. (xmax(S) is not such a bound: it is one past the latest *completed* id, and a
/// transaction still running may hold an id at or above it.) Once a later snapshot's xmin reaches B,
/// all those transactions have ended: a position still missing then was rolled back (burnt) and is
/// skipped; one that committed is read.
/// </summary>
public sealed class EventFeed(NpgsqlDataSource db, string schema)
{
    private readonly Dictionary<long, ulong> _gaps = [];

    /// <summary>Gaps seen and not yet proven; for status and tests.</summary>
    public int PendingGaps => _gaps.Count;

    /// <param name="wantsData">Whether a consumer needs the event's data for this type name.</param>
    /// <param name="withHashes">Whether the page carries the events' chain hashes.</param>
    public async Task<FeedPage> ReadAsync(long after, int max, Func<string, bool> wantsData, bool withHashes, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        ulong xmin;
        await using (var snap = new NpgsqlCommand("select pg_snapshot_xmin(pg_current_snapshot())::text", conn, tx))
            xmin = ulong.Parse((string)(await snap.ExecuteScalarAsync(ct))!, CultureInfo.InvariantCulture);

        // Sized once: a growing list would copy itself into ever larger arrays, and past 85 kB those
        // land on the large-object heap, whose budget triggers full collections during a catch-up.
        var rows = new List<FeedEvent>(Math.Min(max, 10_000));
        await using (var read = new NpgsqlCommand(
            $"select seq, stream_id, version, type, data, metadata, recorded_at{(withHashes ? ", hash" : "")} from {schema}.events where seq > $1 order by seq limit $2", conn, tx))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = after });
            read.Parameters.Add(new NpgsqlParameter { Value = max });
            await using var r = await read.ExecuteReaderAsync(ct);
            // Runs of one event type are the rule: one string and one answer per run, not per row.
            string? lastType = null;
            var wants = false;
            while (await r.ReadAsync(ct))
            {
                var type = r.GetString(3);
                if (type == lastType) type = lastType;
                else (lastType, wants) = (type, wantsData(type));
                rows.Add(new FeedEvent(r.GetInt64(0), r.GetString(1), r.GetInt64(2), type, wants ? r.GetFieldValue<byte[]>(4) : null,
                    r.GetFieldValue<byte[]>(5), r.GetFieldValue<DateTimeOffset>(6), withHashes ? r.GetFieldValue<byte[]>(7) : null));
            }
        }
        await tx.CommitAsync(ct);

        var position = after;
        var safe = 0;
        long? newGap = null;
        for (; safe < rows.Count; safe++)
        {
            var row = rows[safe];
            if (row.Position != position + 1)
            {
                var gap = position + 1;
                if (!_gaps.TryGetValue(gap, out var bound)) { newGap = gap; break; }
                if (xmin < bound) break;       // a transaction that may own the gap is still running
                _gaps.Remove(gap);             // proven burnt: skip it
            }
            position = row.Position;
        }
        rows.RemoveRange(safe, rows.Count - safe);
        if (_gaps.Count > 0) foreach (var stale in _gaps.Keys.Where(g => g <= position).ToList()) _gaps.Remove(stale);
        if (newGap is { } first)
        {
            // A transaction id of our own (autocommit, so it ends at once): above every id handed out so far.
            await using var take = new NpgsqlCommand("select pg_current_xact_id()::text", conn);
            _gaps[first] = ulong.Parse((string)(await take.ExecuteScalarAsync(ct))!, CultureInfo.InvariantCulture);
        }
        return new FeedPage(rows, position);
    }
}
