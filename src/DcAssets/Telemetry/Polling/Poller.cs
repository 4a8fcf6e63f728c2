using System.Collections.Concurrent;
using DcAssets.Snmp;
using DcAssets.Telemetry.Profiles;
using DcAssets.Telemetry.Readings;
using Marten;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// One node's poller: polls each device of the poll groups it holds (<see cref="PollGroups"/>, handed to it by the
/// host's messaging layer) on its interval's grid (scheduled time = the grid point, the same on every node, hence
/// the same idempotency key). Many polls are in flight at once over the one SnmpClient; a device never has two.
/// Immediate polls (traps) for a device held elsewhere are handed to its holder through <see cref="PollRequests"/>.
/// </summary>
public sealed class Poller : IAsyncDisposable
{
    private readonly IDocumentStore _store;
    private readonly PollerTables _tables;
    private readonly ProfileCatalog _profiles;
    private readonly CredentialSealer? _sealer;
    private readonly PollerOptions _options;
    private readonly ConcurrentDictionary<int, byte> _groups = new();
    private readonly PollRequests _requests;
    private int _requestsWaiting;
    private Task _listening = Task.CompletedTask;
    private readonly PollRecorder _recorder;
    private readonly ReadingBatcher _batcher;
    private readonly ConcurrentDictionary<string, Device> _devices = new(StringComparer.Ordinal);
    private volatile IReadOnlySet<string> _held = new HashSet<string>();
    private readonly SemaphoreSlim _inFlight;
    private CancellationTokenSource? _cts;
    private Task? _loop;

    /// <summary>A configured device as this node knows it; State and LastSlot only matter while held.</summary>
    private sealed class Device(string json, PollTarget target)
    {
        public readonly string Json = json;
        public readonly PollTarget Target = target;
        public readonly SemaphoreSlim Gate = new(1, 1);
        public DeviceState? State;
        public DateTimeOffset LastSlot = DateTimeOffset.MinValue;
        public int InFlight;
    }

    /// <param name="store">Where polls are recorded and configurations read.</param>
    /// <param name="tables">Where nodes ask each other for immediate polls.</param>
    public Poller(IDocumentStore store, PollerTables tables, SnmpClient client, ProfileCatalog profiles,
        CredentialSealer? sealer, PollerOptions? options = null)
    {
        _store = store;
        _tables = tables;
        _profiles = profiles;
        _sealer = sealer;
        _options = options ?? new PollerOptions();
        if (_options.HoldsEveryGroup) foreach (var g in PollGroups.All) _groups[g] = 0;
        _requests = new PollRequests(tables);
        _recorder = new PollRecorder(store, client, _options.Actor);
        _batcher = new ReadingBatcher(store, _recorder, _options.Actor);
        _inFlight = new SemaphoreSlim(Math.Max(1, _options.MaxInFlight));
    }

    public string NodeId => _options.NodeId;

    /// <summary>Devices this node polls right now.</summary>
    public IReadOnlySet<string> Held => _held;

    /// <summary>Every configured device's target (traps are matched against these addresses).</summary>
    public IReadOnlyCollection<PollTarget> Configured => _devices.Values.Select(d => d.Target).ToList();

    /// <summary>Poll groups this node holds right now.</summary>
    public IReadOnlyCollection<int> Groups => _groups.Keys.Order().ToList();

    /// <summary>Takes a poll group on: its devices are polled here from their next slot.</summary>
    public void HoldGroup(int group)
    {
        _groups[group] = 0;
        Reassess();
        Interlocked.Exchange(ref _requestsWaiting, 1);
    }

    /// <summary>
    /// Gives a poll group up: no new poll of its devices starts here, and the one in flight is let finish and
    /// record, so the next holder starts from the history (bounded: a poll stuck on a dead database must not keep
    /// the group from moving).
    /// </summary>
    public async Task ReleaseGroupAsync(int group)
    {
        _groups.TryRemove(group, out _);
        Reassess();
        foreach (var d in _devices.Values.Where(d => PollGroups.Of(d.Target.AssetId) == group))
        {
            if (await d.Gate.WaitAsync(StopWait)) d.Gate.Release();
            else Log($"{d.Target.AssetId}: a poll did not finish while its group was given up");
            d.State = null;
        }
    }

    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);

    /// <summary>The devices held follow the groups held and the devices configured.</summary>
    private void Reassess()
    {
        var held = _devices.Keys.Where(id => _groups.ContainsKey(PollGroups.Of(id)))
            .ToHashSet(StringComparer.Ordinal);
        // A device taken up again starts from what the read models say, not from a stale memory.
        foreach (var lost in _held.Where(h => !held.Contains(h)))
            if (_devices.TryGetValue(lost, out var d)) d.State = null;
        _held = held;
    }

    public async Task StartAsync(CancellationToken ct = default)
    {
        await _tables.EnsureAsync(ct);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var token = _cts.Token;
        _listening = Task.Run(() =>
            _requests.ListenAsync(() => Interlocked.Exchange(ref _requestsWaiting, 1), Log, token));
        _loop = Task.Run(() => LoopAsync(token));
    }

    public async Task StopAsync()
    {
        if (_cts is null) return;
        await _cts.CancelAsync();
        try { if (_loop is not null) await _loop; } catch (OperationCanceledException) { }
        await _listening;
        // Let polls already started finish and record before the node goes.
        // Bounded: a poll stuck on a dead database must not keep the node from stopping.
        foreach (var d in _devices.Values)
            if (await d.Gate.WaitAsync(StopWait)) d.Gate.Release();
            else Log($"{d.Target.AssetId}: a poll did not finish while stopping");
        await _batcher.DisposeAsync();
        _groups.Clear();
        _held = new HashSet<string>();
        _cts.Dispose();
        _cts = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task LoopAsync(CancellationToken ct)
    {
        var nextRefresh = DateTimeOffset.MinValue;
        while (!ct.IsCancellationRequested)
        {
            var now = DateTimeOffset.UtcNow;
            if (now >= nextRefresh)
            {
                try
                {
                    await RefreshAsync(ct);
                    nextRefresh = now + _options.ConfigRefresh;
                    Interlocked.Exchange(ref _requestsWaiting, 1); // the fallback for a missed notification
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // Whatever broke (database down, store disposed), the loop must live on with what it knew.
                    Log($"reading the polling configuration failed: {e.Message}");
                    nextRefresh = now + TimeSpan.FromSeconds(1);
                }
            }
            foreach (var id in _held)
            {
                if (!_devices.TryGetValue(id, out var d)) continue;
                var slot = Slot(now, d.Target.Interval);
                if (slot <= d.LastSlot || Volatile.Read(ref d.InFlight) == 1) continue;
                d.LastSlot = slot;
                Interlocked.Exchange(ref d.InFlight, 1);
                _ = Task.Run(() => ScheduledPollAsync(d, slot, ct), CancellationToken.None);
            }
            if (Interlocked.Exchange(ref _requestsWaiting, 0) == 1 && _held.Count > 0) await ServeRequestsAsync(ct);
            try { await Task.Delay(_options.Tick, ct); } catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Immediate polls other nodes asked for, of devices this node holds.</summary>
    private async Task ServeRequestsAsync(CancellationToken ct)
    {
        try
        {
            foreach (var (device, at) in await _requests.ClaimAsync(_held.ToList(), ct))
                _ = Task.Run(async () =>
                {
                    try { await PollNowAsync(device, at, ct); }
                    catch (Exception e) when (!ct.IsCancellationRequested)
                    {
                        Log($"{device}: requested poll at {at:O} failed: {e.Message}");
                    }
                }, CancellationToken.None);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            Interlocked.Exchange(ref _requestsWaiting, 1);
            Log($"poll requests not read: {e.Message}");
        }
    }

    private async Task RefreshAsync(CancellationToken ct)
    {
        await using var q = _store.QuerySession();
        var configured = await q.Query<PolledDevice>().ToListAsync(ct);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in configured)
        {
            seen.Add(c.AssetId);
            var json = _store.Options.Serializer().ToJson(c.Config);
            if (_devices.TryGetValue(c.AssetId, out var known) && known.Json == json) continue;
            try { _devices[c.AssetId] = new Device(json, PollTarget.From(c.Config, _profiles, _sealer)); }
            catch (Exception e)
                when (e is ArgumentException or InvalidOperationException
                or System.Security.Cryptography.CryptographicException or System.Net.Sockets.SocketException)
            {
                Log($"{c.AssetId}: not polled: {e.Message}");
            }
        }
        foreach (var gone in _devices.Keys.Where(k => !seen.Contains(k)).ToList()) _devices.TryRemove(gone, out _);
        Reassess();
    }

    private async Task ScheduledPollAsync(Device d, DateTimeOffset slot, CancellationToken ct)
    {
        try
        {
            await d.Gate.WaitAsync(ct);
            try
            {
                d.State ??= await _recorder.LoadStateAsync(d.Target.AssetId, ct);
                PollOutcome outcome;
                await _inFlight.WaitAsync(ct);
                try { outcome = await _recorder.QueryAsync(d.Target, ct); }
                finally { _inFlight.Release(); }
                d.State = await _batcher.RecordAsync(d.Target, d.State, outcome, slot);
            }
            finally { d.Gate.Release(); }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e)
        {
            // The in-memory state may now be ahead of the history: rebuild it from the read models next time.
            d.State = null;
            Log($"{d.Target.AssetId}: poll at {slot:O} not recorded: {e.Message}");
        }
        finally { Interlocked.Exchange(ref d.InFlight, 0); }
    }

    /// <summary>
    /// Polls a device now, out of schedule (a trap arrived): here when this node holds it, else by asking
    /// the holder, so only the holder decides (its alarm state and failure memory are the current ones).
    /// False when the device is not configured.
    /// </summary>
    public async Task<bool> PollNowAsync(string assetId, DateTimeOffset requestedAt, CancellationToken ct = default)
    {
        if (!_devices.TryGetValue(assetId, out var d)) return false;
        if (!_held.Contains(assetId))
        {
            await _requests.RequestAsync(assetId, requestedAt, ct);
            return true;
        }
        await d.Gate.WaitAsync(ct);
        try
        {
            d.State ??= await _recorder.LoadStateAsync(assetId, ct);
            d.State = await _recorder.PollAsync(d.Target, d.State, requestedAt, PollTriggers.Trap, ct);
            return true;
        }
        catch
        {
            d.State = null; // perhaps ahead of the history now: rebuilt from the read models next time
            throw;
        }
        finally { d.Gate.Release(); }
    }

    /// <summary>
    /// The grid point of the interval that contains <paramref name="now"/> (epoch-aligned, so all nodes agree).
    /// </summary>
    public static DateTimeOffset Slot(DateTimeOffset now, TimeSpan interval)
    {
        var ticks = now.UtcTicks - now.UtcTicks % interval.Ticks;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private void Log(string message) => _options.Log?.Invoke($"poller {NodeId}: {message}");
}
