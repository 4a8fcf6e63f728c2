using System.Collections.Concurrent;
using System.Net;
using DcAssets.Snmp.Usm;

namespace DcAssets.Snmp;

public sealed partial class SnmpClient
{
    private readonly ConcurrentDictionary<IPEndPoint, Task<EngineState>> _engines = new();
    private readonly UsmKeyCache _keys = new();

    private static V3Flags FlagsFor(UsmUser u) => u.Level switch
    {
        SecurityLevel.AuthPriv => V3Flags.Auth | V3Flags.Priv,
        SecurityLevel.AuthNoPriv => V3Flags.Auth,
        _ => V3Flags.None,
    };

    private async Task<SnmpPdu> RequestV3Async(SnmpTarget t, SnmpPdu pdu, CancellationToken ct)
    {
        var user = t.User ?? throw new ArgumentException("an SNMPv3 target needs a USM user");
        user.Validate();
        var resynced = false;
        var rediscovered = false;
        while (true)
        {
            var engine = await GetEngineAsync(t, ct).ConfigureAwait(false);
            var keys = _keys.Get(user, engine.EngineId);
            var id = NextId();
            var (boots, time) = engine.Estimate();
            var request = new SnmpPdu
            {
                Type = pdu.Type, RequestId = id, ErrorStatus = pdu.ErrorStatus, ErrorIndex = pdu.ErrorIndex,
                VarBinds = pdu.VarBinds,
            };
            var msg = new SnmpMessage
            {
                Version = SnmpVersion.V3, MessageId = id, Flags = FlagsFor(user) | V3Flags.Reportable,
                Usm = new UsmParameters { EngineId = engine.EngineId, EngineBoots = boots, EngineTime = time,
                    UserName = user.Name },
                ContextEngineId = engine.EngineId, ContextName = System.Text.Encoding.UTF8.GetBytes(t.ContextName),
                Pdu = request,
            };
            SnmpMessage resp; byte[] raw;
            try { (resp, raw) = await ExchangeAsync(t, id, UsmProcessor.Encode(msg, keys), ct).ConfigureAwait(false); }
            catch (SnmpTimeoutException) when (user.Level == SecurityLevel.AuthPriv)
            {
                // net-snmp's agent drops a message it cannot decrypt instead of sending the decryptionError
                // Report of RFC 3414, so a wrong privacy password looks like a dead agent. One authNoPriv
                // probe (no varbinds, nothing to hide) tells them apart: an authentic answer to it means the
                // agent and the auth key are fine, so it was the privacy key.
                if (await AnswersAuthenticatedAsync(t, user, engine, keys, ct).ConfigureAwait(false))
                    throw new SnmpSecurityException(SnmpSecurityError.DecryptionError,
                        $"{t.EndPoint} answers {user.Name} at authNoPriv but not at authPriv: wrong privacy password " +
                        $"or protocol");
                throw;
            }

            var authentic = (resp.Flags & V3Flags.Auth) != 0;
            if (authentic) UsmProcessor.Verify(raw, resp, keys);
            else if (resp.EncryptedPdu is not null)
                throw new SnmpSecurityException(SnmpSecurityError.DecryptionError, "unauthenticated encrypted answer");
            var answer = resp.Pdu!;
            if (answer.Type == PduType.Report)
            {
                var error = UsmProcessor.ClassifyReport(answer);
                if (error == SnmpSecurityError.NotInTimeWindow && authentic && !resynced)
                {
                    // The agent rebooted or our clock estimate drifted: adopt its values and retry once.
                    engine.Update(resp.Usm.EngineBoots, resp.Usm.EngineTime, force: true);
                    resynced = true;
                    continue;
                }
                if (error == SnmpSecurityError.UnknownEngineId && !rediscovered)
                {
                    _engines.TryRemove(t.EndPoint, out _);
                    rediscovered = true;
                    continue;
                }
                throw new SnmpSecurityException(error,
                    $"report {(answer.VarBinds.Count > 0 ? answer.VarBinds[0].ToString() : "(empty)")} from " +
                    $"{t.EndPoint}");
            }
            if (user.Level != SecurityLevel.NoAuthNoPriv && !authentic)
                throw new SnmpSecurityException(SnmpSecurityError.UnsupportedSecurityLevel,
                    "unauthenticated answer to an authenticated request");
            if (authentic)
            {
                if (engine.IsOutsideWindow(resp.Usm.EngineBoots, resp.Usm.EngineTime))
                    throw new SnmpSecurityException(SnmpSecurityError.NotInTimeWindow,
                        $"answer from {t.EndPoint} is older than our view of its clock");
                engine.Update(resp.Usm.EngineBoots, resp.Usm.EngineTime);
            }
            return answer;
        }
    }

    private async Task<bool> AnswersAuthenticatedAsync(SnmpTarget t, UsmUser user, EngineState engine,
        LocalizedKeys keys, CancellationToken ct)
    {
        var authOnly = keys with { Priv = PrivProtocol.None, PrivKey = [] };
        var id = NextId();
        var (boots, time) = engine.Estimate();
        var probe = new SnmpMessage
        {
            Version = SnmpVersion.V3, MessageId = id, Flags = V3Flags.Auth | V3Flags.Reportable,
            Usm = new UsmParameters { EngineId = engine.EngineId, EngineBoots = boots, EngineTime = time,
                UserName = user.Name },
            ContextEngineId = engine.EngineId, ContextName = System.Text.Encoding.UTF8.GetBytes(t.ContextName),
            Pdu = new SnmpPdu { Type = PduType.GetRequest, RequestId = id },
        };
        try
        {
            var (resp, raw) = await ExchangeAsync(t with { Retries = 0 }, id, UsmProcessor.Encode(probe, authOnly), ct)
                .ConfigureAwait(false);
            if ((resp.Flags & V3Flags.Auth) == 0) return false;
            UsmProcessor.Verify(raw, resp, authOnly);
            return true;
        }
        catch (SnmpException) { return false; }
    }

    /// <summary>Replaces what we know of an agent's engine (tests use it to simulate a stale clock).</summary>
    internal void SetEngine(IPEndPoint agent, EngineState state) => _engines[agent] = Task.FromResult(state);

    private Task<EngineState> GetEngineAsync(SnmpTarget t, CancellationToken ct)
    {
        var task = _engines.GetOrAdd(t.EndPoint, _ => DiscoverAsync(t, CancellationToken.None));
        if (task.IsFaulted || task.IsCanceled)
            _engines.TryRemove(new KeyValuePair<IPEndPoint, Task<EngineState>>(t.EndPoint, task));
        return task.WaitAsync(ct);
    }

    /// <summary>RFC 3414 §4: an empty reportable request; the Report carries engine ID, boots and time.</summary>
    public async Task<EngineState> DiscoverAsync(SnmpTarget t, CancellationToken ct = default)
    {
        try
        {
            var id = NextId();
            var probe = new SnmpMessage
            {
                Version = SnmpVersion.V3, MessageId = id, Flags = V3Flags.Reportable,
                Pdu = new SnmpPdu { Type = PduType.GetRequest, RequestId = id },
            };
            var (resp, _) = await ExchangeAsync(t, id, UsmProcessor.Encode(probe, LocalizedKeys.None), ct)
                .ConfigureAwait(false);
            if (resp.Pdu is not { Type: PduType.Report } || resp.Usm.EngineId.Length == 0)
                throw new SnmpSecurityException(SnmpSecurityError.UnknownReport,
                    "engine discovery got no Report with an engine ID");
            return new EngineState(resp.Usm.EngineId, resp.Usm.EngineBoots, resp.Usm.EngineTime);
        }
        catch
        {
            _engines.TryRemove(t.EndPoint, out _);
            throw;
        }
    }
}
