namespace DcAssets.EventStore.Daemon;

/// <summary>Wakes every waiting runner at once (on a notification); each then reads what is new.</summary>
internal sealed class Wakeup
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => Interlocked.Exchange(ref _signal, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        var signal = Volatile.Read(ref _signal).Task;
        try { await signal.WaitAsync(timeout, ct); }
        catch (TimeoutException) { /* the poll fallback */ }
    }
}
