using Npgsql;

namespace DcAssets.EventStore.Storage;

/// <summary>
/// Tells daemons on every node that events were appended. NOTIFY is sent after the append has
/// committed, from a separate tiny transaction, coalesced to at most one in flight (plus a short
/// pause): a NOTIFY inside the append would serialize every appending commit on Postgres'
/// notification queue lock.
/// </summary>
internal sealed class AppendNotifier(NpgsqlDataSource db, string channel)
{
    private int _state; // 0 idle, 1 sending, 2 sending and signalled again

    public void Signal()
    {
        while (true)
        {
            var s = Volatile.Read(ref _state);
            if (s == 2) return;
            if (Interlocked.CompareExchange(ref _state, s + 1, s) != s) continue;
            if (s == 0) _ = Task.Run(LoopAsync);
            return;
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            try
            {
                await using var cmd = db.CreateCommand($"select pg_notify('{channel}', '')");
                await cmd.ExecuteNonQueryAsync();
                await Task.Delay(5);
            }
            catch (Exception)
            {
                // A lost notification only delays daemons until their next poll.
            }
            if (Interlocked.CompareExchange(ref _state, 0, 1) == 1) return;
            Volatile.Write(ref _state, 1);
        }
    }
}
