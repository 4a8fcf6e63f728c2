namespace DcAssets.Telemetry.Polling;

/// <summary>
/// Every given device polled and recorded for one scheduled time, with at most <c>maxInFlight</c>
/// SNMP requests outstanding (many agents behind one address, or our own socket buffer, drop a burst of
/// thousands); appends run beside the requests, bounded by the connection pool.
/// </summary>
public static class PollCycle
{
    public static async Task<IReadOnlyList<DeviceState>> RunAsync(PollRecorder recorder, ReadingBatcher batcher,
        IReadOnlyList<PollTarget> targets,
        DateTimeOffset scheduledAt, int maxInFlight, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(maxInFlight);
        var tasks = targets.Select(async t =>
        {
            PollOutcome outcome;
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try { outcome = await recorder.QueryAsync(t, ct).ConfigureAwait(false); }
            finally { gate.Release(); }
            // Recording happens outside the gate: the next device's request goes out while this one is appended.
            return await batcher.RecordAsync(t, DeviceState.Initial, outcome, scheduledAt).ConfigureAwait(false);
        });
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }
}
