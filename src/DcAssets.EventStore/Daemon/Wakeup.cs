namespace DcAssets.EventStore.Daemon;

/// <summary>
/// Wakes every waiting runner at once (on a notification); each then reads what is new. A runner
/// notes the generation before it reads, so a notification that lands between its read and its
/// wait is not lost: the wait returns at once.
/// </summary>
internal sealed class Wakeup
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _generation;

    public long Generation => Volatile.Read(ref _generation);

    public void Set()
    {
        Interlocked.Increment(ref _generation);
        Interlocked.Exchange(ref _signal, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Waits for a notification after generation <paramref name="seen"/>, or the timeout.</summary>
    public async Task WaitAsync(long seen, TimeSpan timeout, CancellationToken ct)
    {
        var signal = Volatile.Read(ref _signal).Task;
        if (Generation != seen) return;
        try { await signal.WaitAsync(timeout, ct); }
        catch (TimeoutException) { /* the poll fallback */ }
    }
}
