using DcAssets.Snmp;
using DcAssets.Telemetry.Polling;

namespace DcAssets.Telemetry.Traps;

/// <summary>Which notification a trap is, and which configured device sent it. Pure.</summary>
public static class TrapClassifier
{
    private static readonly (Oid Oid, TrapKind Kind)[] Known =
    [
        (Oid.Parse("1.3.6.1.2.1.33.2.1"), TrapKind.UpsOnBattery),
        (Oid.Parse("1.3.6.1.2.1.33.2.2"), TrapKind.UpsTestCompleted),
        (Oid.Parse("1.3.6.1.2.1.33.2.3"), TrapKind.UpsAlarmAdded),
        (Oid.Parse("1.3.6.1.2.1.33.2.4"), TrapKind.UpsAlarmRemoved),
        (Oid.Parse("1.3.6.1.4.1.476.1.42.3.3.0.1"), TrapKind.AcConditionAdded),
        (Oid.Parse("1.3.6.1.4.1.476.1.42.3.3.0.2"), TrapKind.AcConditionRemoved),
    ];

    /// <summary>Matches both forms: v2 snmpTrapOID and a v1 trap's (enterprise, specific) per RFC 3584.</summary>
    public static TrapKind Classify(SnmpNotification n) =>
        Known.FirstOrDefault(k => n.Matches(k.Oid)) is { Oid.Length: > 0 } hit ? hit.Kind : TrapKind.Other;

    /// <summary>A known trap makes the device's state worth reading again at once.</summary>
    public static bool TriggersPoll(TrapKind kind) => kind != TrapKind.Other;

    /// <summary>
    /// The device a trap came from. First by address: the original agent's (snmpTrapAddress.0, which a
    /// v1 trap's agent-addr and a forwarding proxy fill in) or the datagram's source IP. Several devices
    /// behind one address (a proxy, the demo's simulators on 127.0.0.1) are then told apart by what the
    /// trap carries: a v3 trap's engine id or a v1/v2c trap's community against the device's configured
    /// trap engine id or trap community (a device configured with another one is not the sender; one
    /// configured with this one is), and finally by the trap's family (UPS traps go to UPS profiles).
    /// A trap that still matches several devices, or none, is unmatched.
    /// </summary>
    public static PollTarget? Device(SnmpNotification n, TrapKind kind, IEnumerable<PollTarget> configured)
    {
        var address = AgentAddress(n);
        var candidates = configured.Where(t => t.Snmp.EndPoint.Address.Equals(address)).ToList();
        if (candidates.Count > 1)
        {
            var engine = n.Version == SnmpVersion.V3 && n.EngineId is { Length: > 0 } id
                ? Convert.ToHexStringLower(id) : null;
            var community = n.Version == SnmpVersion.V3 ? null : n.Community;
            bool Claims(PollTarget t) =>
                (engine is not null && t.TrapEngineId == engine)
                || (community is not null && t.TrapCommunity == community);
            bool Refuses(PollTarget t) => (engine is not null && t.TrapEngineId is not null && t.TrapEngineId != engine)
                || (community is not null && t.TrapCommunity is not null && t.TrapCommunity != community);
            candidates = candidates.Any(Claims)
                ? candidates.Where(Claims).ToList() : candidates.Where(t => !Refuses(t)).ToList();
        }
        if (candidates.Count > 1 && kind != TrapKind.Other)
        {
            var family = kind is TrapKind.AcConditionAdded or TrapKind.AcConditionRemoved
                ? Profiles.DeviceKind.Ac : Profiles.DeviceKind.Ups;
            candidates = candidates.Where(t => t.Profile.Kind == family).ToList();
        }
        return candidates.Count == 1 ? candidates[0] : null;
    }

    private static System.Net.IPAddress AgentAddress(SnmpNotification n)
    {
        if (n.VarBinds.FirstOrDefault(v =>
            v.Oid == SnmpNotification.SnmpTrapAddress).Value is { Type: SnmpType.IpAddress } forwarded
            && forwarded.AsIpAddress() is var a && !a.Equals(System.Net.IPAddress.Any)) return a;
        return n.V1AgentAddress is { } v1 && !v1.Equals(System.Net.IPAddress.Any) ? v1 : n.Source.Address;
    }

    public static TrapReceived ToEvent(SnmpNotification n, TrapKind kind, string assetId) =>
        new(assetId, kind, n.TrapOid.ToString(), n.Source.ToString(), n.Version.ToString().ToLowerInvariant(),
            n.ReceivedAt,
            n.Objects.Select(v => new TrapObject(v.Oid.ToString(), v.Value.Type.ToString(), v.Value.ToString()))
                .ToList());
}
