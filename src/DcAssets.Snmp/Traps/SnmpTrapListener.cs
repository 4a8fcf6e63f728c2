using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using DcAssets.Snmp.Usm;

namespace DcAssets.Snmp;

public sealed class SnmpTrapListenerOptions
{
    /// <summary>Accepted v1/v2c communities; null accepts any.</summary>
    public IReadOnlyCollection<string>? Communities { get; init; }

    /// <summary>v3 users. Trap keys are localized with the sender's engine ID, inform keys with ours.</summary>
    public IReadOnlyList<UsmUser> Users { get; init; } = [];

    /// <summary>Our authoritative engine ID (for v3 informs); random when not given.</summary>
    public byte[]? EngineId { get; init; }

    /// <summary>Notifications buffered for a slow reader before the oldest are dropped.</summary>
    public int Capacity { get; init; } = 4096;
}

/// <summary>
/// Receives v1 traps, v2c traps and informs (acknowledged), and v3 traps/informs for configured users.
/// Malformed or unauthentic datagrams are counted and dropped, never thrown.
/// </summary>
public sealed partial class SnmpTrapListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SnmpTrapListenerOptions _options;
    private readonly Channel<SnmpNotification> _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly UsmKeyCache _keys = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Task _loop;
    private long _malformed, _rejected;

    public SnmpTrapListener(IPEndPoint bind, SnmpTrapListenerOptions? options = null)
    {
        _options = options ?? new SnmpTrapListenerOptions();
        foreach (var u in _options.Users) u.Validate();
        EngineId = _options.EngineId ?? NewEngineId();
        _channel = Channel.CreateBounded<SnmpNotification>(
            new BoundedChannelOptions(_options.Capacity) { FullMode = BoundedChannelFullMode.DropOldest });
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(bind);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public IPEndPoint LocalEndPoint { get; }
    public byte[] EngineId { get; }
    public int EngineBoots => 1;
    public int EngineTime => (int)Stopwatch.GetElapsedTime(_started).TotalSeconds;

    /// <summary>Datagrams that did not decode.</summary>
    public long MalformedPackets => Interlocked.Read(ref _malformed);

    /// <summary>Datagrams refused: unknown community or user, failed authentication, outside the time window.</summary>
    public long RejectedPackets => Interlocked.Read(ref _rejected);

    public IAsyncEnumerable<SnmpNotification> ReadAllAsync(CancellationToken ct = default) =>
        _channel.Reader.ReadAllAsync(ct);

    public ValueTask<SnmpNotification> ReadAsync(CancellationToken ct = default) => _channel.Reader.ReadAsync(ct);

    /// <summary>RFC 3411 format: enterprise 8072 (net-snmp's, as its tools do) with random octets (format 5).</summary>
    private static byte[] NewEngineId()
    {
        var id = new byte[13];
        id[0] = 0x80; id[1] = 0x00; id[2] = 0x1f; id[3] = 0x88; id[4] = 0x05;
        System.Security.Cryptography.RandomNumberGenerator.Fill(id.AsSpan(5));
        return id;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6
            ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try { r = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token); }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException) { continue; }
            var from = (IPEndPoint)r.RemoteEndPoint;
            try { await HandleAsync(buffer.AsMemory(0, r.ReceivedBytes), from); }
            catch (SnmpDecodeException) { Interlocked.Increment(ref _malformed); }
            catch (SnmpSecurityException) { Interlocked.Increment(ref _rejected); }
            catch (SocketException) { } // the sender vanished before our acknowledgement
            catch (Exception e)
                when (e is ArgumentException or InvalidOperationException or OverflowException
                or System.Security.Cryptography.CryptographicException)
            {
                // A hostile packet that got past decoding (odd field sizes): drop it, keep listening.
                Interlocked.Increment(ref _rejected);
            }
        }
        _channel.Writer.TryComplete();
    }

    internal async Task HandleAsync(ReadOnlyMemory<byte> packet, IPEndPoint from)
    {
        var msg = SnmpCodec.Decode(packet.Span);
        if (msg.Version == SnmpVersion.V3) { await HandleV3Async(packet, msg, from); return; }
        var pdu = msg.Pdu!;
        var community = msg.CommunityText;
        if (_options.Communities is { } allowed
            && !allowed.Contains(community)) { Interlocked.Increment(ref _rejected); return; }
        switch (pdu.Type)
        {
            case PduType.TrapV1 when msg.Version == SnmpVersion.V1:
                Publish(SnmpNotification.FromV1(pdu, from, msg.Community));
                break;
            case PduType.SnmpV2Trap:
                Publish(SnmpNotification.FromV2(pdu, from, msg.Version, community, null, null));
                break;
            case PduType.InformRequest:
                // RFC 3416 §4.2.7: the acknowledgement echoes request-id and varbinds.
                var ack = SnmpCodec.Encode(new SnmpMessage { Version = msg.Version, Community = msg.Community,
                    Pdu = ResponseTo(pdu) });
                await _socket.SendToAsync(ack, SocketFlags.None, from);
                Publish(SnmpNotification.FromV2(pdu, from, msg.Version, community, null, null));
                break;
            default:
                Interlocked.Increment(ref _rejected);
                break;
        }
    }

    private static SnmpPdu ResponseTo(SnmpPdu pdu) =>
        new() { Type = PduType.Response, RequestId = pdu.RequestId, VarBinds = pdu.VarBinds };

    private void Publish(SnmpNotification n) => _channel.Writer.TryWrite(n);

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _socket.Dispose();
        try { await _loop; } catch (OperationCanceledException) { }
    }
}
