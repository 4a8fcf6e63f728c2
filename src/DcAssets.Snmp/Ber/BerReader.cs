namespace DcAssets.Snmp.Ber;

/// <summary>
/// Bounds-checked BER reader over one buffer. Offsets are absolute so errors name the exact byte;
/// every length is checked against the enclosing element before anything is allocated.
/// </summary>
internal ref struct BerReader
{
    /// <summary>SNMP never nests deeper than 6; anything past this bound is hostile.</summary>
    public const int MaxDepth = 8;

    private readonly ReadOnlySpan<byte> _buf;
    private readonly int _end;
    private readonly int _depth;
    private int _pos;

    public BerReader(ReadOnlySpan<byte> buffer) : this(buffer, 0, buffer.Length, 0) { }

    private BerReader(ReadOnlySpan<byte> buffer, int start, int end, int depth)
    {
        _buf = buffer; _pos = start; _end = end; _depth = depth;
    }

    public int Position => _pos;
    public int End => _end;
    public bool HasMore => _pos < _end;

    public static SnmpDecodeException Error(int offset, string reason) => new(offset, reason);

    public byte PeekTag()
    {
        if (_pos >= _end) throw Error(_pos, "truncated: expected a tag");
        return _buf[_pos];
    }

    /// <summary>Reads tag and length; returns the content's start. Advances past the whole element.</summary>
    public int ReadHeader(out byte tag, out int length)
    {
        var at = _pos;
        if (_pos >= _end) throw Error(_pos, "truncated: expected a tag");
        tag = _buf[_pos++];
        if ((tag & 0x1F) == 0x1F) throw Error(at, $"multi-octet tag 0x{tag:x2} is not used by SNMP");
        if (_pos >= _end) throw Error(_pos, "truncated: expected a length");
        int lenAt = _pos;
        int first = _buf[_pos++];
        if (first < 0x80) length = first;
        else if (first == 0x80) throw Error(lenAt, "indefinite length is not allowed");
        else
        {
            var n = first & 0x7F;
            if (_end - _pos < n) throw Error(lenAt, "truncated length octets");
            long len = 0;
            for (var i = 0; i < n; i++)
            {
                len = (len << 8) | _buf[_pos++];
                // Non-minimal lengths are legal (RFC 3417 §8); only the value must stay sane.
                if (len > int.MaxValue) throw Error(lenAt, "length too large");
            }
            length = (int)len;
        }
        if (length > _end - _pos) throw Error(lenAt, $"length {length} overruns the enclosing {_end - _pos} octets");
        var content = _pos;
        _pos += length;
        return content;
    }

    public int ReadExpected(byte expectedTag, out int length)
    {
        var at = _pos;
        var content = ReadHeader(out var tag, out length);
        if (tag != expectedTag) throw Error(at, $"expected tag 0x{expectedTag:x2}, found 0x{tag:x2}");
        return content;
    }

    /// <summary>Enters a constructed element with the given tag.</summary>
    public BerReader ReadConstructed(byte expectedTag)
    {
        var at = _pos;
        var content = ReadExpected(expectedTag, out var length);
        return Enter(at, content, length);
    }

    public BerReader Enter(int at, int content, int length)
    {
        if (_depth + 1 > MaxDepth) throw Error(at, "nesting too deep");
        return new BerReader(_buf, content, content + length, _depth + 1);
    }

    public ReadOnlySpan<byte> Slice(int start, int length) => _buf.Slice(start, length);

    public int ReadInt32()
    {
        var content = ReadExpected(0x02, out var length);
        return DecodeInt32(content, length);
    }

    public byte[] ReadOctetString()
    {
        var content = ReadExpected(0x04, out var length);
        return _buf.Slice(content, length).ToArray();
    }

    public Oid ReadOid(bool lenient = false)
    {
        var content = ReadExpected(0x06, out var length);
        return DecodeOid(content, length, lenient);
    }

    public int DecodeInt32(int content, int length)
    {
        var v = DecodeSigned(content, length);
        if (v is < int.MinValue or > int.MaxValue) throw Error(content, "INTEGER out of 32-bit range");
        return (int)v;
    }

    /// <summary>Two's complement; redundant leading 00/FF octets are tolerated, as some agents pad.</summary>
    public long DecodeSigned(int content, int length)
    {
        if (length == 0) throw Error(content, "empty INTEGER");
        var s = _buf.Slice(content, length);
        while (s.Length > 1 && ((s[0] == 0 && s[1] < 0x80) || (s[0] == 0xFF && s[1] >= 0x80))) s = s[1..];
        if (s.Length > 8) throw Error(content, "INTEGER too long");
        long v = (sbyte)s[0];
        for (var i = 1; i < s.Length; i++) v = (v << 8) | s[i];
        return v;
    }

    /// <summary>
    /// A varbind's INTEGER as net-snmp reads it: any width, kept to the low 32 bits (two's complement),
    /// so an agent that sends a 64-bit value gets its message through instead of rejected. Header
    /// fields use the strict <see cref="DecodeInt32"/>.
    /// </summary>
    public int DecodeInt32Lenient(int content, int length)
    {
        if (length == 0) throw Error(content, "empty INTEGER");
        var s = _buf.Slice(content, length);
        int v = (sbyte)s[0] < 0 ? -1 : 0;
        foreach (var b in s.Length > 4 ? s[^4..] : s) v = (v << 8) | b;
        return v;
    }

    /// <summary>
    /// A varbind's Counter32/Gauge32/TimeTicks/Counter64 as net-snmp reads it: a leading octet with the
    /// high bit set sign-extends (agents that encode 4294967295 as FF, or as FF FF FF FF FF), and the
    /// value is kept to its low <paramref name="bytes"/> octets (4 or 8) whatever the width on the wire.
    /// </summary>
    public ulong DecodeUnsignedLenient(int content, int length, int bytes)
    {
        if (length == 0) throw Error(content, "empty unsigned integer");
        var s = _buf.Slice(content, length);
        ulong v = (sbyte)s[0] < 0 ? ulong.MaxValue : 0;
        foreach (var b in s.Length > bytes ? s[^bytes..] : s) v = (v << 8) | b;
        return bytes == 8 ? v : v & 0xFFFF_FFFF;
    }

    /// <summary>
    /// Unsigned application types: no sign extension, up to <paramref name="maxBytes"/> significant octets.
    /// </summary>
    public ulong DecodeUnsigned(int content, int length, int maxBytes)
    {
        if (length == 0) throw Error(content, "empty unsigned integer");
        var s = _buf.Slice(content, length);
        while (s.Length > 1 && s[0] == 0) s = s[1..];
        if (s.Length > maxBytes) throw Error(content, "unsigned integer out of range");
        ulong v = 0;
        foreach (var b in s) v = (v << 8) | b;
        return v;
    }

    /// <summary>
    /// An OBJECT IDENTIFIER. <paramref name="lenient"/> (varbinds) accepts a sub-identifier padded with
    /// leading 0x80 octets, which net-snmp reads as the same arc; header OIDs stay strict.
    /// </summary>
    public Oid DecodeOid(int content, int length, bool lenient = false)
    {
        if (length == 0) return new Oid([]);
        var s = _buf.Slice(content, length);
        if ((s[^1] & 0x80) != 0) throw Error(content + length - 1, "OID ends inside a sub-identifier");
        // Count sub-identifiers first so the array is allocated once, bounded by the content length.
        var count = 1;
        foreach (var b in s) if ((b & 0x80) == 0) count++;
        var arcs = new uint[count];
        var n = 0;
        ulong acc = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (acc == 0 && s[i] == 0x80 && !lenient) throw Error(content + i, "OID sub-identifier has a leading 0x80");
            acc = (acc << 7) | (uint)(s[i] & 0x7F);
            if (acc > uint.MaxValue) throw Error(content + i, "OID arc exceeds 2^32-1");
            if ((s[i] & 0x80) != 0) continue;
            if (n == 0)
            {
                // First sub-identifier packs two arcs: 40*X + Y.
                if (acc < 40) { arcs[0] = 0; arcs[1] = (uint)acc; }
                else if (acc < 80) { arcs[0] = 1; arcs[1] = (uint)acc - 40; }
                else { arcs[0] = 2; arcs[1] = (uint)(acc - 80); }
                n = 2;
            }
            else arcs[n++] = (uint)acc;
            acc = 0;
        }
        return new Oid(arcs);
    }
}
