using System.Net;

namespace DcAssets.Snmp;

/// <summary>
/// A received trap or inform in SNMPv2 form: VarBinds start with sysUpTime.0 and snmpTrapOID.0. A v1
/// trap is converted per RFC 3584 §3.1 and keeps its original fields in the V1* properties.
/// </summary>
public sealed class SnmpNotification
{
    public static readonly Oid SysUpTime = Oid.Parse("1.3.6.1.2.1.1.3.0");
    public static readonly Oid SnmpTrapOid = Oid.Parse("1.3.6.1.6.3.1.1.4.1.0");
    public static readonly Oid SnmpTrapEnterprise = Oid.Parse("1.3.6.1.6.3.1.1.4.3.0");
    public static readonly Oid SnmpTrapAddress = Oid.Parse("1.3.6.1.6.3.18.1.3.0");
    public static readonly Oid SnmpTrapCommunity = Oid.Parse("1.3.6.1.6.3.18.1.4.0");
    private static readonly Oid GenericTraps = Oid.Parse("1.3.6.1.6.3.1.1.5");

    public required IPEndPoint Source { get; init; }
    public required SnmpVersion Version { get; init; }
    public required PduType PduType { get; init; }
    public string? Community { get; init; }
    public string? UserName { get; init; }
    public byte[]? EngineId { get; init; }
    public required Oid TrapOid { get; init; }
    public uint Uptime { get; init; }
    public required IReadOnlyList<VarBind> VarBinds { get; init; }
    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;

    public Oid? V1Enterprise { get; init; }
    public IPAddress? V1AgentAddress { get; init; }
    public int? V1GenericTrap { get; init; }
    public int? V1SpecificTrap { get; init; }

    public bool IsInform => PduType == PduType.InformRequest;

    /// <summary>The notification's own objects (everything after sysUpTime and snmpTrapOID).</summary>
    public IEnumerable<VarBind> Objects => VarBinds.Where(v => v.Oid != SysUpTime && v.Oid != SnmpTrapOid);

    /// <summary>
    /// True when this is the notification <paramref name="notificationOid"/>, in either form: a v2
    /// NOTIFICATION-TYPE E.S travels in v1 as (enterprise E, specific S), which converts back to E.0.S.
    /// </summary>
    public bool Matches(Oid notificationOid)
    {
        if (TrapOid == notificationOid) return true;
        if (V1Enterprise is not { } e || V1GenericTrap != 6 || notificationOid.Length < 2) return false;
        var n = notificationOid.Arcs;
        var specific = (int)n[^1];
        // RFC 3584 §3.2: an OID whose next-to-last arc is 0 drops both; otherwise only the last arc.
        var enterprise = n[^2] == 0 ? notificationOid.Take(n.Length - 2) : notificationOid.Take(n.Length - 1);
        return enterprise == e && specific == V1SpecificTrap;
    }

    /// <summary>RFC 3584 §3.1: the v2 form of a v1 Trap-PDU.</summary>
    internal static SnmpNotification FromV1(SnmpPdu pdu, IPEndPoint source, byte[] community)
    {
        var trapOid = pdu.GenericTrap is >= 0 and < 6
            ? GenericTraps.Append((uint)pdu.GenericTrap + 1)
            : pdu.Enterprise.Append(0, unchecked((uint)pdu.SpecificTrap));
        var vbs = new List<VarBind>(pdu.VarBinds.Count + 5)
        {
            new(SysUpTime, SnmpValue.TimeTicks(pdu.TimeStamp)),
            new(SnmpTrapOid, SnmpValue.ObjectIdentifier(trapOid)),
        };
        vbs.AddRange(pdu.VarBinds);
        if (vbs.All(v => v.Oid != SnmpTrapAddress))
            vbs.Add(new(SnmpTrapAddress, SnmpValue.IpAddressRaw(pdu.AgentAddress)));
        if (vbs.All(v => v.Oid != SnmpTrapCommunity)) vbs.Add(new(SnmpTrapCommunity, SnmpValue.OctetString(community)));
        if (vbs.All(v => v.Oid != SnmpTrapEnterprise))
            vbs.Add(new(SnmpTrapEnterprise, SnmpValue.ObjectIdentifier(pdu.Enterprise)));
        return new SnmpNotification
        {
            Source = source, Version = SnmpVersion.V1, PduType = PduType.TrapV1,
            Community = System.Text.Encoding.UTF8.GetString(community),
            TrapOid = trapOid, Uptime = pdu.TimeStamp, VarBinds = vbs,
            V1Enterprise = pdu.Enterprise, V1AgentAddress = new IPAddress(pdu.AgentAddress),
            V1GenericTrap = pdu.GenericTrap, V1SpecificTrap = pdu.SpecificTrap,
        };
    }

    internal static SnmpNotification FromV2(SnmpPdu pdu, IPEndPoint source, SnmpVersion version, string? community,
        string? user, byte[]? engineId)
    {
        var trapOid = pdu.VarBinds.FirstOrDefault(v =>
            v.Oid == SnmpTrapOid).Value is { Type: SnmpType.ObjectIdentifier } t ? t.AsOid() : default;
        var up = pdu.VarBinds.FirstOrDefault(v => v.Oid == SysUpTime).Value is { Type: SnmpType.TimeTicks } u
            ? (uint)u.AsUInt64() : 0;
        return new SnmpNotification
        {
            Source = source, Version = version, PduType = pdu.Type, Community = community, UserName = user,
            EngineId = engineId,
            TrapOid = trapOid, Uptime = up, VarBinds = pdu.VarBinds,
        };
    }

    public override string ToString() =>
        $"{ReceivedAt:O} {Source} {Version} {SnmpPdu.WireName(PduType)} {TrapOid} "
            + string.Join(", ", Objects.Select(v => v.ToString()));
}
