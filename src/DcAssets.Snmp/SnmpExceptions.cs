namespace DcAssets.Snmp;

public class SnmpException : Exception
{
    public SnmpException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A malformed packet; <see cref="Offset"/> is where the decoder gave up.</summary>
public sealed class SnmpDecodeException(int offset, string reason)
    : SnmpException($"malformed SNMP message at offset {offset}: {reason}")
{
    public int Offset { get; } = offset;
    public string Reason { get; } = reason;
}

public sealed class SnmpTimeoutException(string target, int attempts)
    : SnmpException($"no response from {target} after {attempts} attempt(s)")
{
    public string Target { get; } = target;
}

/// <summary>The agent answered with a non-zero error-status.</summary>
public sealed class SnmpErrorException(SnmpErrorStatus status, int index, SnmpPdu response)
    : SnmpException($"agent returned {status} (error-index {index})")
{
    public SnmpErrorStatus Status { get; } = status;
    public int Index { get; } = index;
    public SnmpPdu Response { get; } = response;
}

/// <summary>
/// A walk got an OID inside the subtree that does not follow the one before it (equal to the root,
/// repeated, or going backwards): a looping agent that would otherwise be walked forever.
/// </summary>
public sealed class SnmpWalkLoopException(Oid previous, Oid returned)
    : SnmpException($"OID not increasing: .{returned} after .{previous}")
{
    public Oid Previous { get; } = previous;
    public Oid Returned { get; } = returned;
}

/// <summary>USM and MPD failures (RFC 3414 §5 usmStats, RFC 3412 counters).</summary>
public enum SnmpSecurityError
{
    UnsupportedSecurityLevel, NotInTimeWindow, UnknownUserName, UnknownEngineId, WrongDigest,
    DecryptionError, AuthenticationFailed, UnknownReport,
}

/// <summary>An SNMPv3 security failure, either reported by the agent or detected locally.</summary>
public sealed class SnmpSecurityException(SnmpSecurityError error, string detail)
    : SnmpException($"SNMPv3 {error}: {detail}")
{
    public SnmpSecurityError Error { get; } = error;
}
