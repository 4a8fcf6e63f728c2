using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace DcAssets.Snmp;

/// <summary>
/// Text forms of varbinds as net-snmp's tools print them with <c>-On</c>, so output can be compared line by line.
/// </summary>
public static class SnmpFormatter
{
    public static string NetSnmpLine(VarBind vb) => $".{vb.Oid} = {NetSnmpValue(vb.Value)}";

    public static string NetSnmpValue(SnmpValue v)
    {
        var ic = CultureInfo.InvariantCulture;
        return v.Type switch
        {
            SnmpType.Integer32 => "INTEGER: " + v.AsInt64().ToString(ic),
            SnmpType.OctetString => OctetString(v.AsBytes()),
            SnmpType.Null => "NULL",
            SnmpType.ObjectIdentifier => "OID: ." + v.AsOid(),
            SnmpType.IpAddress => "IpAddress: " + v.AsIpAddress(),
            SnmpType.Counter32 => "Counter32: " + v.AsUInt64().ToString(ic),
            SnmpType.Gauge32 => "Gauge32: " + v.AsUInt64().ToString(ic),
            SnmpType.TimeTicks => $"Timeticks: ({v.AsUInt64().ToString(ic)}) {TimeTicks((uint)v.AsUInt64())}",
            SnmpType.Opaque => Opaque(v.AsBytes()),
            SnmpType.Counter64 => "Counter64: " + v.AsUInt64().ToString(ic),
            SnmpType.NoSuchObject => "No Such Object available on this agent at this OID",
            SnmpType.NoSuchInstance => "No Such Instance currently exists at this OID",
            SnmpType.EndOfMibView => "No more variables left in this MIB View (It is past the end of the MIB tree)",
            _ => v.ToString(),
        };
    }

    /// <summary>net-snmp's TimeTicks rendering: [D day(s), ]H:MM:SS.cc</summary>
    public static string TimeTicks(uint ticks)
    {
        var cs = ticks % 100; var s = ticks / 100;
        var days = s / 86400; var h = s / 3600 % 24; var m = s / 60 % 60; var sec = s % 60;
        var ic = CultureInfo.InvariantCulture;
        var clock = string.Format(ic, "{0}:{1:00}:{2:00}.{3:00}", h, m, sec, cs);
        return days > 0 ? string.Format(ic, "{0} day{1}, {2}", days, days > 1 ? "s" : "", clock) : clock;
    }

    /// <summary>
    /// net-snmp wraps float and double in Opaque (RFC draft "opaque special types": 9f 78 04 IEEE-single,
    /// 9f 79 08 IEEE-double) and prints both with C's %f after "Opaque: Float: "; anything else is hex.
    /// </summary>
    private static string Opaque(ReadOnlySpan<byte> b)
    {
        if (b.Length == 7 && b[0] == 0x9F && b[1] == 0x78 && b[2] == 4)
            return "Opaque: Float: " + CFixed(BinaryPrimitives.ReadSingleBigEndian(b[3..]));
        if (b.Length == 11 && b[0] == 0x9F && b[1] == 0x79 && b[2] == 8)
            return "Opaque: Float: " + CFixed(BinaryPrimitives.ReadDoubleBigEndian(b[3..]));
        return "OPAQUE: " + Hex(b);
    }

    /// <summary>printf("%f"): six decimals, every integer digit, C's spelling of the non-finite values.</summary>
    private static string CFixed(double d) =>
        double.IsNaN(d) ? (double.IsNegative(d) ? "-nan" : "nan")
        : double.IsInfinity(d) ? (d < 0 ? "-inf" : "inf")
        : d.ToString("F6", CultureInfo.InvariantCulture);

    /// <summary>
    /// net-snmp prints STRING when every octet is isprint() or isspace() in the C locale (0x20-0x7E and
    /// 0x09-0x0D), else Hex-STRING; so UTF-8 text and a trailing NUL print as hex, as there.
    /// </summary>
    private static string OctetString(ReadOnlySpan<byte> b)
    {
        if (b.Length == 0) return "\"\"";
        foreach (var c in b)
            if (!(c is >= 0x20 and < 0x7F or >= 0x09 and <= 0x0D)) return "Hex-STRING: " + Hex(b);
        var sb = new StringBuilder("STRING: \"", b.Length + 12);
        foreach (var c in b)
        {
            if (c is (byte)'"' or (byte)'\\') sb.Append('\\');
            sb.Append((char)c);
        }
        return sb.Append('"').ToString();
    }

    private static string Hex(ReadOnlySpan<byte> b)
    {
        var sb = new StringBuilder(b.Length * 3);
        for (var i = 0; i < b.Length; i++)
        {
            if (i > 0 && i % 16 == 0) sb.Append('\n');
            sb.Append(b[i].ToString("X2", CultureInfo.InvariantCulture)).Append(' ');
        }
        return sb.ToString();
    }
}
