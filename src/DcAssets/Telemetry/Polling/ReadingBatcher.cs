using System.Threading.Channels;
using Marten;
using Npgsql;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// Records scheduled polls in batches: whatever polls finished while the previous save ran go into the
/// next save together (one transaction, bulk append), so appending keeps up with thousands of devices a
/// second. Batched saves carry no idempotency key; if any poll in a batch was already recorded (a
/// hand-over), the <see cref="PollSlotGuard"/> rolls the batch back and its polls are saved one by one
/// with their idempotency keys.
/// </summary>
public sealed class ReadingBatcher : IAsyncDisposable
{
    private sealed record Pending(PollTarget Target, DeviceState State, PollOutcome Outcome, DateTimeOffset Slot,
        TaskCompletionSource<DeviceState> Done);

    private readonly IDocumentStore _store;
    private readonly PollRecorder _single;
    private readonly Actor _actor;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue =
        Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    private readonly TimeSpan _linger;

    /// <param name="linger">
    /// How long the first poll of a batch waits for company. Polls of one slot finish spread over the
    /// slot's first seconds, not all at once; without a wait most saves would hold a single poll.
    /// </param>
    public ReadingBatcher(IDocumentStore store, PollRecorder single, Actor actor, int maxBatch = 250,
        TimeSpan? linger = null)
    {
        _store = store;
        _single = single;
        _actor = actor;
        _maxBatch = maxBatch;
        _linger = linger ?? TimeSpan.FromMilliseconds(100);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Decides and records one scheduled poll; completes when its batch is saved.</summary>
    public Task<DeviceState> RecordAsync(PollTarget target, DeviceState state, PollOutcome outcome, DateTimeOffset slot)
    {
        var done = new TaskCompletionSource<DeviceState>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(target, state, outcome, slot, done)))
            done.SetException(new ObjectDisposedException(nameof(ReadingBatcher)));
        return done.Task;
    }

    private async Task LoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var p)) batch.Add(p);
            if (batch.Count < _maxBatch && _linger > TimeSpan.Zero)
            {
                await Task.Delay(_linger);
                while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var p)) batch.Add(p);
            }
            try { await FlushAsync(batch); }
            catch (Exception e)
            {
                // The loop must outlive any batch: a poll left waiting here would hold its device's gate forever.
                foreach (var p in batch) p.Done.TrySetException(e);
            }
            batch.Clear();
        }
    }

    private async Task FlushAsync(List<Pending> batch)
    {
        try
        {
            var decided = batch.Select(p =>
                (p, PollDecision.Decide(p.Target, p.State, p.Outcome, p.Slot, Readings.PollTriggers.Schedule)))
                .ToList();
            await using var s = _store.OpenSession(_actor);
            foreach (var (p, (_, events)) in decided) PollDecision.Append(s, p.Target.AssetId, p.Slot, events);
            await s.SaveChangesAsync();
            foreach (var (p, (next, _)) in decided) p.Done.TrySetResult(next);
        }
        catch (Exception e) when (!Unavailable(e))
        {
            // Someone recorded one of these polls already, or one event is bad: each poll on its own, keyed.
            await Task.WhenAll(batch.Select(async p =>
            {
                try
                {
                    p.Done.TrySetResult(await _single.RecordAsync(p.Target, p.State, p.Outcome, p.Slot,
                        Readings.PollTriggers.Schedule, default));
                }
                catch (Exception inner) { p.Done.TrySetException(inner); }
            }));
        }
        catch (Exception e)
        {
            foreach (var p in batch) p.Done.TrySetException(e);
        }
    }

    /// <summary>The database did not answer (rather than refuse the save): saving poll by poll cannot help.</summary>
    private static bool Unavailable(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is NpgsqlException and not PostgresException || x is ObjectDisposedException or TimeoutException)
                return true;
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }
}
