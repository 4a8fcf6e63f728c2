using DcAssets.Testing;
using Marten;

namespace DcAssets.Integrity.Tests.Infrastructure;

/// <summary>Runs Marten's async daemon until its high-water mark reaches every committed event.</summary>
public static class HighWater
{
    private const string CaughtUp = """
        select coalesce((select last_seq_id from mt_event_progression where name = 'HighWaterMark'), 0)
               >= coalesce((select max(seq_id) from mt_events), 0)
        """;

    public static async Task CatchUpAsync(DocumentStore store, TestDatabase db, TimeSpan? timeout = null)
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        await Wait.UntilAsync(() => db.ScalarAsync<bool>(CaughtUp), timeout ?? TimeSpan.FromSeconds(30),
            "the high-water mark to reach the last event");
        await daemon.StopAllAsync();
    }
}

public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {timeout} for {what}");
            await Task.Delay(50);
        }
    }
}
