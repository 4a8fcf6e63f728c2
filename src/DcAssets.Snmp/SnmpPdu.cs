namespace DcAssets.Snmp;

public enum SnmpVersion { V1 = 0, V2c = 1, V3 = 3 }

/// <summary>PDU kinds; the numeric value is the context tag on the wire.</summary>
public enum PduType : byte
{
    GetRequest = 0xA0,
    GetNextRequest = 0xA1,
    Response = 0xA2,
    SetRequest = 0xA3,
    TrapV1 = 0xA4,
    GetBulkRequest = 0xA5,
    InformRequest = 0xA6,
    SnmpV2Trap = 0xA7,
    Report = 0xA8,
}

/// <summary>RFC 3416 error-status values (0-5 also v1).</summary>
public enum SnmpErrorStatus
{
    NoError = 0, TooBig = 1, NoSuchName = 2, BadValue = 3, ReadOnly = 4, GenErr = 5, NoAccess = 6,
    WrongType = 7, WrongLength = 8, WrongEncoding = 9, WrongValue = 10, NoCreation = 11,
    InconsistentValue = 12, ResourceUnavailable = 13, CommitFailed = 14, UndoFailed = 15,
    AuthorizationError = 16, NotWritable = 17, InconsistentName = 18,
}

/// <summary>
/// One PDU. GetBulk reuses error-status/index as non-repeaters/max-repetitions (as on the wire);
/// the v1 Trap fields are only meaningful for <see cref="PduType.TrapV1"/>.
/// </summary>
public sealed class SnmpPdu
{
    public PduType Type { get; init; }
    public int RequestId { get; set; }
    public int ErrorStatus { get; init; }
    public int ErrorIndex { get; init; }
    public IReadOnlyList<VarBind> VarBinds { get; init; } = [];

    public int NonRepeaters { get => ErrorStatus; init => ErrorStatus = value; }
    public int MaxRepetitions { get => ErrorIndex; init => ErrorIndex = value; }

    public Oid Enterprise { get; init; }
    public byte[] AgentAddress { get; init; } = [0, 0, 0, 0];
    public int GenericTrap { get; init; }
    public int SpecificTrap { get; init; }
    public uint TimeStamp { get; init; }

    public static string WireName(PduType t) => t switch
    {
        PduType.TrapV1 => "Trap-v1",
        PduType.SnmpV2Trap => "SNMPv2-Trap",
        _ => t.ToString(),
    };
}
