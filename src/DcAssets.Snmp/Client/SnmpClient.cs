using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace DcAssets.Snmp;

/// <summary>
/// Async SNMP manager over one UDP socket: any number of requests to any number of agents are in
/// flight at once, matched back by request-id (v1/v2c) or msgID (v3).
/// </summary>
/// <remarks>
/// A dedicated thread blocks in ReceiveFrom and completes requests inline, so the awaiting code
/// continues on it without a thread hop (as fast as net-snmp's own blocking loop). Continuations
/// should therefore not block for long; if one does, the sweeper retires that thread and starts a
/// fresh receiver, so even a caller blocking on another answer cannot deadlock the client. One
/// sweeper timer handles every retransmission and timeout (no timer per request).
/// </remarks>
public sealed partial class SnmpClient : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(20);
    private static readonly long HijackTicks = Stopwatch.Frequency / 10;

    private readonly Socket _socket;
    private readonly ConcurrentDictionary<int, Pending> _pending = new();
    private volatile Receiver _receiver;
    private int _sweeping;
    private readonly Timer _sweeper;
    private volatile bool _disposed;
    private int _nextId = RandomNumberGenerator.GetInt32(1, int.MaxValue / 2);
    private long _malformed;

    private sealed class Pending(SnmpTarget target, byte[] bytes, int attempts)
    {
        public readonly SnmpTarget Target = target;
        public readonly byte[] Bytes = bytes;
        public readonly int Attempts = attempts;
        public int Sent = 1;
        public long Deadline = Stopwatch.GetTimestamp() + ToTicks(target.Timeout);
        public readonly TaskCompletionSource<(SnmpMessage Msg, byte[] Raw)> Tcs = new();
    }

    /// <summary>One receive thread; BusySince is set while it runs a caller's continuation.</summary>
    private sealed class Receiver
    {
        public Thread Thread = null!;
        public long BusySince;
        public volatile bool Retired;
    }

    private static long ToTicks(TimeSpan t) => (long)(t.TotalSeconds * Stopwatch.Frequency);

    public SnmpClient(AddressFamily family = AddressFamily.InterNetwork)
    {
        _socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        _receiver = StartReceiver();
        _sweeper = new Timer(_ => Sweep(), null, SweepInterval, SweepInterval);
    }

    /// <summary>True while the receive thread runs (it ends on dispose).</summary>
    internal bool IsReceiving => _receiver.Thread.IsAlive;

    private Receiver StartReceiver()
    {
        var r = new Receiver();
        r.Thread = new Thread(() => ReceiveLoop(r)) { IsBackground = true, Name = "snmp-client-receive" };
        r.Thread.Start();
        return r;
    }

    /// <summary>Datagrams dropped because they did not decode.</summary>
    public long MalformedPackets => Interlocked.Read(ref _malformed);

    /// <summary>A positive id never reused while in flight; request-ids and msgIDs share it.</summary>
    private int NextId()
    {
        var id = Interlocked.Increment(ref _nextId) & int.MaxValue;
        return id == 0 ? NextId() : id;
    }

    private void ReceiveLoop(Receiver self)
    {
        var buffer = new byte[65536];
        var address = new SocketAddress(_socket.AddressFamily);
        var template = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6
            ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_disposed && !self.Retired)
        {
            int n;
            try { n = _socket.ReceiveFrom(buffer, SocketFlags.None, address); }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { if (_disposed) return; continue; } // e.g. ICMP unreachable on some platforms
            Volatile.Write(ref self.BusySince, Stopwatch.GetTimestamp());
            Dispatch(buffer.AsSpan(0, n), address, template);
            Volatile.Write(ref self.BusySince, 0);
        }
    }

    private void Dispatch(ReadOnlySpan<byte> packet, SocketAddress address, IPEndPoint template)
    {
        SnmpMessage msg;
        try { msg = SnmpCodec.Decode(packet); }
        catch (SnmpDecodeException) { Interlocked.Increment(ref _malformed); return; }
        var key = msg.Version == SnmpVersion.V3 ? msg.MessageId : msg.Pdu!.RequestId;
        if (!_pending.TryGetValue(key, out var p)) return;
        // Answers from anyone but the agent we asked are ignored (RFC 3412 §7.2 / spoofing).
        if (!p.Target.EndPoint.Equals(template.Create(address))) return;
        p.Tcs.TrySetResult((msg, packet.ToArray()));
    }

    /// <summary>Retransmits what is overdue and fails what has used up its attempts.</summary>
    private void Sweep()
    {
        // Timer callbacks may overlap when one runs long; one sweep at a time is enough.
        if (Interlocked.Exchange(ref _sweeping, 1) == 1) return;
        try { SweepOnce(); }
        finally { Volatile.Write(ref _sweeping, 0); }
    }

    private void SweepOnce()
    {
        var now = Stopwatch.GetTimestamp();
        var current = _receiver;
        var busy = Volatile.Read(ref current.BusySince);
        if (busy != 0 && now - busy > HijackTicks && !_disposed)
        {
            // A continuation has held the receive thread for 100 ms: let it finish there, receive on a new one.
            current.Retired = true;
            _receiver = StartReceiver();
        }
        if (_pending.IsEmpty) return;
        foreach (var (_, p) in _pending)
        {
            if (now < Volatile.Read(ref p.Deadline) || p.Tcs.Task.IsCompleted) continue;
            if (p.Sent >= p.Attempts)
            {
                // Completed off the sweeper thread: the caller's continuation must not stall later sweeps.
                ThreadPool.UnsafeQueueUserWorkItem(static q =>
                    q.Tcs.TrySetException(new SnmpTimeoutException(q.Target.EndPoint.ToString(), q.Attempts)), p,
                    false);
                continue;
            }
            p.Sent++;
            Volatile.Write(ref p.Deadline, now + ToTicks(p.Target.Timeout));
            try { _socket.SendTo(p.Bytes, SocketFlags.None, p.Target.EndPoint); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static s => s.p.Tcs.TrySetException(s.e), (p, e), false);
            }
        }
    }

    /// <summary>Sends and waits; the sweeper retransmits the same bytes on timeout.</summary>
    private async Task<(SnmpMessage Msg, byte[] Raw)> ExchangeAsync(SnmpTarget t, int key, byte[] bytes,
        CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ct.ThrowIfCancellationRequested();
        var p = new Pending(t, bytes, Math.Max(0, t.Retries) + 1);
        if (!_pending.TryAdd(key, p)) throw new InvalidOperationException("request id collision");
        try
        {
            // UDP sends do not block; a synchronous send keeps the socket in blocking mode for the receiver.
            _socket.SendTo(bytes, SocketFlags.None, t.EndPoint);
            if (!ct.CanBeCanceled) return await p.Tcs.Task.ConfigureAwait(false);
            using var reg = ct.Register(static s => ((Pending)s!).Tcs.TrySetCanceled(), p);
            var r = await p.Tcs.Task.ConfigureAwait(false);
            return r;
        }
        catch (TaskCanceledException) when (ct.IsCancellationRequested) { throw new OperationCanceledException(ct); }
        finally { _pending.TryRemove(key, out _); }
    }

    /// <summary>Sends one PDU and returns the agent's answer PDU as is (error-status not checked).</summary>
    public async Task<SnmpPdu> RequestAsync(SnmpTarget target, SnmpPdu pdu, CancellationToken ct = default)
    {
        if (target.Version == SnmpVersion.V3) return await RequestV3Async(target, pdu, ct).ConfigureAwait(false);
        var id = NextId();
        var request = new SnmpPdu
        {
            Type = pdu.Type, RequestId = id, ErrorStatus = pdu.ErrorStatus, ErrorIndex = pdu.ErrorIndex,
            VarBinds = pdu.VarBinds,
        };
        var bytes = SnmpCodec.Encode(new SnmpMessage
        {
            Version = target.Version, Community = System.Text.Encoding.UTF8.GetBytes(target.Community), Pdu = request,
        });
        var (msg, _) = await ExchangeAsync(target, id, bytes, ct).ConfigureAwait(false);
        if (msg.Version != target.Version) throw new SnmpException($"agent answered with version {msg.Version}");
        return msg.Pdu!;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _sweeper.Dispose();
        _socket.Dispose();
        foreach (var p in _pending.Values) p.Tcs.TrySetException(new ObjectDisposedException(nameof(SnmpClient)));
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
