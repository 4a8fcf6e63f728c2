using System.Globalization;
using System.Text;

namespace DcAssets.Snmp;

/// <summary>An OBJECT IDENTIFIER: arcs are unsigned 32-bit (RFC 2578 allows up to 2^32-1).</summary>
public readonly struct Oid : IEquatable<Oid>, IComparable<Oid>
{
    private readonly uint[]? _arcs;

    public Oid(params uint[] arcs) => _arcs = arcs;

    public ReadOnlySpan<uint> Arcs => _arcs;
    public int Length => _arcs?.Length ?? 0;
    public uint this[int i] => _arcs![i];

    /// <summary>Parses dotted form, with or without a leading dot.</summary>
    public static Oid Parse(string text)
    {
        if (!TryParse(text, out var oid)) throw new FormatException($"not a numeric OID: '{text}'");
        return oid;
    }

    public static bool TryParse(string? text, out Oid oid)
    {
        oid = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim().TrimStart('.');
        if (s.Length == 0) return false;
        var parts = s.Split('.');
        var arcs = new uint[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!uint.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out arcs[i])) return false;
        oid = new Oid(arcs);
        return true;
    }

    public static implicit operator Oid(string text) => Parse(text);

    /// <summary>True when this OID is <paramref name="other"/> or one of its descendants.</summary>
    public bool StartsWith(Oid prefix) => Arcs.StartsWith(prefix.Arcs);

    public Oid Append(params uint[] more)
    {
        var a = new uint[Length + more.Length];
        Arcs.CopyTo(a);
        more.CopyTo(a, Length);
        return new Oid(a);
    }

    /// <summary>The first <paramref name="count"/> arcs.</summary>
    public Oid Take(int count) => new(Arcs[..count].ToArray());

    public int CompareTo(Oid other)
    {
        var a = Arcs; var b = other.Arcs;
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
            if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
        return a.Length.CompareTo(b.Length);
    }

    public bool Equals(Oid other) => Arcs.SequenceEqual(other.Arcs);
    public override bool Equals(object? obj) => obj is Oid o && Equals(o);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var a in Arcs) h.Add(a);
        return h.ToHashCode();
    }

    public static bool operator ==(Oid a, Oid b) => a.Equals(b);
    public static bool operator !=(Oid a, Oid b) => !a.Equals(b);
    public static bool operator <(Oid a, Oid b) => a.CompareTo(b) < 0;
    public static bool operator >(Oid a, Oid b) => a.CompareTo(b) > 0;

    public override string ToString()
    {
        var sb = new StringBuilder(Length * 4);
        foreach (var a in Arcs)
        {
            if (sb.Length > 0) sb.Append('.');
            sb.Append(a.ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
