using System.Net;
using System.Text;

namespace DcAssets.Snmp;

/// <summary>SMI value types and the v2 exceptions; the numeric value is the BER tag.</summary>
public enum SnmpType : byte
{
    Integer32 = 0x02,
    OctetString = 0x04,
    Null = 0x05,
    ObjectIdentifier = 0x06,
    IpAddress = 0x40,
    Counter32 = 0x41,
    Gauge32 = 0x42,
    TimeTicks = 0x43,
    Opaque = 0x44,
    Counter64 = 0x46,
    NoSuchObject = 0x80,
    NoSuchInstance = 0x81,
    EndOfMibView = 0x82,
}

/// <summary>
/// One immutable value. A single class (rather than one per type) keeps the codec a switch on the tag
/// and the caller's code a switch on <see cref="Type"/>.
/// </summary>
public sealed class SnmpValue : IEquatable<SnmpValue>
{
    private readonly ulong _number;
    private readonly byte[]? _bytes;
    private readonly Oid _oid;

    private SnmpValue(SnmpType type, ulong number = 0, byte[]? bytes = null, Oid oid = default)
    {
        Type = type; _number = number; _bytes = bytes; _oid = oid;
    }

    public SnmpType Type { get; }

    public static readonly SnmpValue Null = new(SnmpType.Null);
    public static readonly SnmpValue NoSuchObject = new(SnmpType.NoSuchObject);
    public static readonly SnmpValue NoSuchInstance = new(SnmpType.NoSuchInstance);
    public static readonly SnmpValue EndOfMibView = new(SnmpType.EndOfMibView);

    public static SnmpValue Integer32(int v) => new(SnmpType.Integer32, unchecked((ulong)(long)v));
    public static SnmpValue Counter32(uint v) => new(SnmpType.Counter32, v);
    public static SnmpValue Gauge32(uint v) => new(SnmpType.Gauge32, v);
    public static SnmpValue TimeTicks(uint v) => new(SnmpType.TimeTicks, v);
    public static SnmpValue Counter64(ulong v) => new(SnmpType.Counter64, v);
    public static SnmpValue OctetString(byte[] v) => new(SnmpType.OctetString, bytes: v);
    public static SnmpValue OctetString(string v) => new(SnmpType.OctetString, bytes: Encoding.UTF8.GetBytes(v));
    public static SnmpValue Opaque(byte[] v) => new(SnmpType.Opaque, bytes: v);
    public static SnmpValue ObjectIdentifier(Oid v) => new(SnmpType.ObjectIdentifier, oid: v);

    public static SnmpValue IpAddress(IPAddress v)
    {
        var b = v.GetAddressBytes();
        if (b.Length != 4) throw new ArgumentException("IpAddress is IPv4 only", nameof(v));
        return new(SnmpType.IpAddress, bytes: b);
    }

    internal static SnmpValue IpAddressRaw(byte[] four) => new(SnmpType.IpAddress, bytes: four);

    /// <summary>True for noSuchObject, noSuchInstance and endOfMibView.</summary>
    public bool IsException => Type is SnmpType.NoSuchObject or SnmpType.NoSuchInstance or SnmpType.EndOfMibView;

    public bool IsInteger =>
        Type is SnmpType.Integer32 or SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks
            or SnmpType.Counter64;

    /// <summary>Integer32 as signed; other integer types as their unsigned value.</summary>
    public long AsInt64() => Type switch
    {
        SnmpType.Integer32 => unchecked((long)_number),
        SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks => (long)_number,
        SnmpType.Counter64 => checked((long)_number),
        _ => throw new InvalidOperationException($"{Type} is not an integer"),
    };

    public int AsInt32() => Type == SnmpType.Integer32 ? unchecked((int)(long)_number) : checked((int)AsInt64());

    public ulong AsUInt64() => Type switch
    {
        SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks or SnmpType.Counter64 => _number,
        SnmpType.Integer32 => checked((ulong)unchecked((long)_number)),
        _ => throw new InvalidOperationException($"{Type} is not an integer"),
    };

    /// <summary>Octets of OctetString, Opaque and IpAddress.</summary>
    public ReadOnlySpan<byte> AsBytes() => _bytes ?? throw new InvalidOperationException($"{Type} has no octets");

    public Oid AsOid() =>
        Type == SnmpType.ObjectIdentifier ? _oid : throw new InvalidOperationException($"{Type} is not an OID");

    public IPAddress AsIpAddress() =>
        Type == SnmpType.IpAddress
        ? new IPAddress(_bytes!) : throw new InvalidOperationException($"{Type} is not an IpAddress");

    /// <summary>OctetString as UTF-8 when it is printable text, else null.</summary>
    public string? AsText()
    {
        if (Type != SnmpType.OctetString || _bytes is null) return null;
        try
        {
            var s = new UTF8Encoding(false, true).GetString(_bytes);
            foreach (var c in s)
                if (char.IsControl(c) && c is not ('\r' or '\n' or '\t')) return null;
            return s;
        }
        catch (DecoderFallbackException) { return null; }
    }

    public bool Equals(SnmpValue? other) =>
        other is not null && Type == other.Type && _number == other._number && _oid == other._oid &&
        ((_bytes is null && other._bytes is null)
            || (_bytes is not null && other._bytes is not null && _bytes.AsSpan().SequenceEqual(other._bytes)));

    public override bool Equals(object? obj) => Equals(obj as SnmpValue);
    public override int GetHashCode() => HashCode.Combine(Type, _number, _oid, _bytes?.Length);

    public override string ToString() => Type switch
    {
        SnmpType.Integer32 or SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks or SnmpType.Counter64 =>
            Type == SnmpType.Integer32
                ? AsInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)
                : _number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        SnmpType.OctetString => AsText() ?? Convert.ToHexStringLower(_bytes!),
        SnmpType.Opaque => Convert.ToHexStringLower(_bytes!),
        SnmpType.IpAddress => AsIpAddress().ToString(),
        SnmpType.ObjectIdentifier => _oid.ToString(),
        _ => Type.ToString(),
    };
}

/// <summary>A variable binding: name and value.</summary>
public readonly record struct VarBind(Oid Oid, SnmpValue Value)
{
    /// <summary>A binding with a NULL value, as requests carry.</summary>
    public VarBind(Oid oid) : this(oid, SnmpValue.Null) { }

    public override string ToString() => $"{Oid} = {Value.Type}: {Value}";
}
