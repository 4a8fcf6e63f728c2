using Npgsql;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// Immediate polls asked of whichever node holds a device (a trap arrived at a node that does not): a
/// row in PostgreSQL plus a NOTIFY, so the holder polls at once and decides with its own alarm state;
/// alarm state keeps one writer. A holder that misses the NOTIFY finds the row at its next
/// configuration read; requests nobody claims within a minute are stale and dropped.
/// </summary>
public sealed class PollRequests(PollerTables tables)
{
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(1);
    private string Table => tables.Requests;
    public string Channel => $"{tables.Schema}_telemetry_poll_requests";

    public async Task RequestAsync(string device, DateTimeOffset requestedAt, CancellationToken ct)
    {
        await using var cmd = tables.DataSource.CreateCommand(
            $"insert into {Table} (device, requested_at) values (@d, @at) on conflict do nothing; select " +
            $"pg_notify('{Channel}', @d)");
        cmd.Parameters.AddWithValue("d", device);
        cmd.Parameters.AddWithValue("at", requestedAt);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Takes the requests for the given devices (each goes to one node) and drops stale ones.</summary>
    public async Task<IReadOnlyList<(string Device,
        DateTimeOffset RequestedAt)>> ClaimAsync(IReadOnlyCollection<string> devices, CancellationToken ct)
    {
        var claimed = new List<(string, DateTimeOffset)>();
        await using var cmd = tables.DataSource.CreateCommand(
            $"""
            delete from {Table} where requested_at < now() - make_interval(secs => @stale);
            delete from {Table} where device = any(@devices) returning device, requested_at;
            """);
        cmd.Parameters.AddWithValue("stale", Stale.TotalSeconds);
        cmd.Parameters.AddWithValue("devices", devices.ToArray());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) claimed.Add((r.GetString(0), r.GetFieldValue<DateTimeOffset>(1)));
        return claimed;
    }

    /// <summary>
    /// Calls <paramref name="wake"/> on every request notification (and once per connect), until cancelled.
    /// </summary>
    public async Task ListenAsync(Action wake, Action<string> log, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var conn = await tables.DataSource.OpenConnectionAsync(ct);
                conn.Notification += (_, _) => wake();
                await using (var listen = new NpgsqlCommand($"listen {Channel}", conn))
                    await listen.ExecuteNonQueryAsync(ct);
                wake(); // requests made while not listening
                try { while (true) await conn.WaitAsync(ct); }
                finally
                {
                    // The connection goes back to the pool: it must not keep listening there. Bounded, and any
                    // failure ignored: a connection the cancelled wait broke is not pooled again anyway.
                    using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await using var unlisten = new NpgsqlCommand("unlisten *", conn);
                    try { await unlisten.ExecuteNonQueryAsync(bound.Token); }
                    catch (Exception e)
                        when (e is NpgsqlException or InvalidOperationException or OperationCanceledException) { }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log($"poll request listener: {e.Message}");
                try { await Task.Delay(TimeSpan.FromSeconds(1), ct); } catch (OperationCanceledException) { return; }
            }
        }
    }
}
