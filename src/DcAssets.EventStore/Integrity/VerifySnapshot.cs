using System.Data;
using Npgsql;

namespace DcAssets.EventStore.Integrity;

/// <summary>
/// One consistent view of the history for a whole verify run. Appends, seals and the streams table
/// move on while verify reads; compared across different moments they disagree (a stream record
/// ahead of the events read, a seal over events not yet seen) and would be reported as tampering.
/// So everything is read in one REPEATABLE READ snapshot, exported from the connection that pages
/// through the events to a second one for lookups, which run beside the page reads.
/// </summary>
internal sealed class VerifySnapshot : IAsyncDisposable
{
    private VerifySnapshot(NpgsqlConnection pages, NpgsqlTransaction pagesTx, NpgsqlConnection lookups, NpgsqlTransaction lookupsTx)
    {
        Pages = pages;
        Lookups = lookups;
        _transactions = [pagesTx, lookupsTx];
    }

    private readonly NpgsqlTransaction[] _transactions;

    /// <summary>Only ever one command at a time: the event pages.</summary>
    public NpgsqlConnection Pages { get; }

    /// <summary>Seals, stream records and prior hashes, in the same snapshot as <see cref="Pages"/>.</summary>
    public NpgsqlConnection Lookups { get; }

    public static async Task<VerifySnapshot> OpenAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        NpgsqlConnection? pages = null, lookups = null;
        try
        {
            pages = await db.OpenConnectionAsync(ct);
            var pagesTx = await pages.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            string snapshot;
            await using (var export = new NpgsqlCommand("set transaction read only; select pg_export_snapshot()", pages, pagesTx))
                snapshot = (string)(await export.ExecuteScalarAsync(ct))!;
            lookups = await db.OpenConnectionAsync(ct);
            var lookupsTx = await lookups.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            await using (var import = new NpgsqlCommand($"set transaction snapshot '{snapshot}'; set transaction read only", lookups, lookupsTx))
                await import.ExecuteNonQueryAsync(ct);
            return new VerifySnapshot(pages, pagesTx, lookups, lookupsTx);
        }
        catch
        {
            if (lookups is not null) await lookups.DisposeAsync();
            if (pages is not null) await pages.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var tx in _transactions) await tx.DisposeAsync(); // read only: rolling back ends it
        await Lookups.DisposeAsync();
        await Pages.DisposeAsync();
    }
}
