using System.Net;
using System.Net.Sockets;
using DcAssets.Snmp.Usm;

namespace DcAssets.Snmp;

public sealed partial class SnmpTrapListener
{
    /// <summary>
    /// v3: a trap's sender is authoritative (keys localized with its engine ID, RFC 3414 §1.5.1);
    /// for an inform we are, so we answer discovery with a Report and keys use our engine ID.
    /// </summary>
    private async Task HandleV3Async(ReadOnlyMemory<byte> packet, SnmpMessage msg, IPEndPoint from)
    {
        if (!msg.Usm.EngineId.AsSpan().SequenceEqual(EngineId) && (msg.Flags & V3Flags.Reportable) != 0
            && msg.Pdu is not null && msg.Pdu.Type != PduType.SnmpV2Trap)
        {
            // Discovery probe (empty or foreign engine ID, reportable): tell the sender who we are.
            await SendReportAsync(msg, from, UsmProcessor.UsmStatsUnknownEngineIds, LocalizedKeys.None, V3Flags.None);
            return;
        }
        var user = _options.Users.FirstOrDefault(u => u.Name == msg.Usm.UserName);
        if (user is null)
        {
            // RFC 3414 §3.2 step 4: a reportable message (an inform; traps never are) learns why it failed.
            if ((msg.Flags & V3Flags.Reportable) != 0 && msg.Pdu?.Type != PduType.SnmpV2Trap)
                await SendReportAsync(msg, from, UsmProcessor.UsmStatsUnknownUserNames, LocalizedKeys.None,
                    V3Flags.None);
            throw new SnmpSecurityException(SnmpSecurityError.UnknownUserName, msg.Usm.UserName);
        }
        var keys = _keys.Get(user, msg.Usm.EngineId);
        var level = (msg.Flags & (V3Flags.Auth | V3Flags.Priv)) switch
        {
            V3Flags.Auth | V3Flags.Priv => SecurityLevel.AuthPriv,
            V3Flags.Auth => SecurityLevel.AuthNoPriv,
            _ => SecurityLevel.NoAuthNoPriv,
        };
        if (level < user.Level)
            throw new SnmpSecurityException(SnmpSecurityError.UnsupportedSecurityLevel,
            $"{user.Name} must use {user.Level}");
        UsmProcessor.Verify(packet.Span, msg, keys);
        var pdu = msg.Pdu!;
        if (pdu.Type == PduType.InformRequest)
        {
            if (!msg.Usm.EngineId.AsSpan().SequenceEqual(EngineId))
                throw new SnmpSecurityException(SnmpSecurityError.UnknownEngineId,
                    $"inform from {from} names another engine");
            // RFC 3414 §3.2 step 7a: we are authoritative, so the message must be within our time window.
            if (level != SecurityLevel.NoAuthNoPriv
                && (msg.Usm.EngineBoots != EngineBoots || Math.Abs(msg.Usm.EngineTime - EngineTime) > 150))
            {
                await SendReportAsync(msg, from, UsmProcessor.UsmStatsNotInTimeWindows, keys, V3Flags.Auth);
                throw new SnmpSecurityException(SnmpSecurityError.NotInTimeWindow, $"inform from {from}");
            }
            var flags = msg.Flags & (V3Flags.Auth | V3Flags.Priv);
            var ack = new SnmpMessage
            {
                Version = SnmpVersion.V3, MessageId = msg.MessageId, MaxSize = 65507, Flags = flags,
                Usm = new UsmParameters { EngineId = EngineId, EngineBoots = EngineBoots, EngineTime = EngineTime,
                    UserName = user.Name },
                ContextEngineId = msg.ContextEngineId, ContextName = msg.ContextName, Pdu = ResponseTo(pdu),
            };
            await _socket.SendToAsync(UsmProcessor.Encode(ack, keys), SocketFlags.None, from);
        }
        else if (pdu.Type != PduType.SnmpV2Trap)
            throw new SnmpSecurityException(SnmpSecurityError.UnknownReport, $"unexpected {pdu.Type}");
        else if (level != SecurityLevel.NoAuthNoPriv) CheckSenderClock(msg, from);
        Publish(SnmpNotification.FromV2(pdu, from, SnmpVersion.V3, null, user.Name, msg.Usm.EngineId));
    }

    /// <summary>
    /// RFC 3414 §3.2 step 7b: for a trap the sender is authoritative, so we keep our own view of each
    /// sender engine's clock (learnt from its first authentic trap) and refuse replays: boots that went
    /// back, boots at the maximum, or a time more than 150 s behind our estimate.
    /// </summary>
    private void CheckSenderClock(SnmpMessage msg, IPEndPoint from)
    {
        var usm = msg.Usm;
        var state = _senders.GetOrAdd(Convert.ToHexString(usm.EngineId), _ =>
            new EngineState(usm.EngineId, usm.EngineBoots, usm.EngineTime));
        if (state.IsOutsideWindow(usm.EngineBoots, usm.EngineTime))
            throw new SnmpSecurityException(SnmpSecurityError.NotInTimeWindow,
                $"trap from {from} (boots {usm.EngineBoots}, time {usm.EngineTime}) is older than its engine's clock");
        state.Update(usm.EngineBoots, usm.EngineTime);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, EngineState> _senders = new();

    private async Task SendReportAsync(SnmpMessage msg, IPEndPoint from, Oid counter, LocalizedKeys keys, V3Flags flags)
    {
        var report = new SnmpMessage
        {
            Version = SnmpVersion.V3, MessageId = msg.MessageId, MaxSize = 65507, Flags = flags,
            Usm = new UsmParameters { EngineId = EngineId, EngineBoots = EngineBoots, EngineTime = EngineTime,
                UserName = flags == V3Flags.None ? "" : msg.Usm.UserName },
            ContextEngineId = EngineId,
            Pdu = new SnmpPdu
            {
                Type = PduType.Report, RequestId = msg.Pdu?.RequestId ?? 0,
                VarBinds = [new VarBind(counter, SnmpValue.Counter32((uint)Interlocked.Increment(ref _reports)))],
            },
        };
        await _socket.SendToAsync(UsmProcessor.Encode(report, keys), SocketFlags.None, from);
    }

    private long _reports;
}
