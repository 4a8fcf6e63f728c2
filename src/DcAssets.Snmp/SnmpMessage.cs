namespace DcAssets.Snmp;

/// <summary>msgFlags of RFC 3412 §6.4.</summary>
[Flags]
public enum V3Flags : byte { None = 0, Auth = 1, Priv = 2, Reportable = 4 }

/// <summary>UsmSecurityParameters (RFC 3414 §2.4), as found on the wire.</summary>
public sealed class UsmParameters
{
    public byte[] EngineId { get; init; } = [];
    public int EngineBoots { get; init; }
    public int EngineTime { get; init; }
    public string UserName { get; init; } = "";
    public byte[] AuthParameters { get; init; } = [];
    public byte[] PrivParameters { get; init; } = [];
}

/// <summary>
/// A whole SNMP message. v1/v2c use <see cref="Community"/>; v3 uses the header, USM and scoped-PDU
/// fields. <see cref="Pdu"/> is null only for a v3 message whose scoped PDU is still encrypted.
/// </summary>
public sealed class SnmpMessage
{
    public SnmpVersion Version { get; init; }
    public byte[] Community { get; init; } = [];
    public SnmpPdu? Pdu { get; set; }

    public int MessageId { get; init; }
    public int MaxSize { get; init; } = 65507;
    public V3Flags Flags { get; init; }
    public int SecurityModel { get; init; } = 3;
    public UsmParameters Usm { get; init; } = new();
    public byte[] ContextEngineId { get; set; } = [];
    public byte[] ContextName { get; set; } = [];
    public byte[]? EncryptedPdu { get; init; }

    /// <summary>Offset of the msgAuthenticationParameters content in the decoded buffer, or -1.</summary>
    public int AuthParametersOffset { get; init; } = -1;

    /// <summary>Length of the message proper (trailing bytes after it are ignored).</summary>
    public int EncodedLength { get; init; }

    public string CommunityText => System.Text.Encoding.UTF8.GetString(Community);
}
