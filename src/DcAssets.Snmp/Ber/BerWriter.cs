namespace DcAssets.Snmp.Ber;

/// <summary>
/// Forward BER writer with minimal lengths. A constructed element reserves one length octet and
/// shifts its content when the final length needs more (rare: only bodies of 128+ octets).
/// </summary>
internal sealed class BerWriter
{
    private byte[] _buf;
    private int _len;

    public BerWriter(int capacity = 256) => _buf = new byte[capacity];

    public int Length => _len;
    public ReadOnlySpan<byte> Written => _buf.AsSpan(0, _len);
    public byte[] ToArray() => _buf.AsSpan(0, _len).ToArray();
    public void Clear() => _len = 0;

    private void Ensure(int extra)
    {
        if (_len + extra <= _buf.Length) return;
        Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _len + extra));
    }

    public void WriteByte(byte b) { Ensure(1); _buf[_len++] = b; }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buf.AsSpan(_len));
        _len += bytes.Length;
    }

    public static int LengthOfLength(int length) =>
        length < 0x80 ? 1 : length <= 0xFF ? 2 : length <= 0xFFFF ? 3 : length <= 0xFFFFFF ? 4 : 5;

    public void WriteLength(int length)
    {
        var n = LengthOfLength(length);
        Ensure(n);
        if (n == 1) { _buf[_len++] = (byte)length; return; }
        _buf[_len++] = (byte)(0x80 | (n - 1));
        for (var i = n - 2; i >= 0; i--) _buf[_len++] = (byte)(length >> (8 * i));
    }

    public void WriteTlv(byte tag, ReadOnlySpan<byte> content)
    {
        WriteByte(tag);
        WriteLength(content.Length);
        WriteRaw(content);
    }

    /// <summary>Starts a constructed element; pass the result to <see cref="End"/>.</summary>
    public int Begin(byte tag)
    {
        WriteByte(tag);
        WriteByte(0);
        return _len;
    }

    public void End(int contentStart)
    {
        var length = _len - contentStart;
        var n = LengthOfLength(length);
        if (n > 1)
        {
            Ensure(n - 1);
            _buf.AsSpan(contentStart, length).CopyTo(_buf.AsSpan(contentStart + n - 1));
            _len += n - 1;
        }
        var p = contentStart - 1;
        if (n == 1) { _buf[p] = (byte)length; return; }
        _buf[p++] = (byte)(0x80 | (n - 1));
        for (var i = n - 2; i >= 0; i--) _buf[p++] = (byte)(length >> (8 * i));
    }

    public void WriteInteger(long value, byte tag = 0x02)
    {
        Span<byte> tmp = stackalloc byte[8];
        var n = 8;
        // Minimal two's complement: drop leading octets that only repeat the sign.
        for (var i = 0; i < 8; i++) tmp[i] = (byte)(value >> (8 * (7 - i)));
        var start = 0;
        while (start < 7
            && ((tmp[start] == 0 && tmp[start + 1] < 0x80) || (tmp[start] == 0xFF && tmp[start + 1] >= 0x80))) start++;
        WriteTlv(tag, tmp[start..n]);
    }

    /// <summary>Unsigned types still use INTEGER encoding: a set top bit needs a leading 00.</summary>
    public void WriteUnsigned(ulong value, byte tag)
    {
        Span<byte> tmp = stackalloc byte[9];
        for (var i = 0; i < 8; i++) tmp[i + 1] = (byte)(value >> (8 * (7 - i)));
        var start = 1;
        while (start < 8 && tmp[start] == 0) start++;
        if (tmp[start] >= 0x80) start--;
        WriteTlv(tag, tmp[start..]);
    }

    public void WriteOctetString(ReadOnlySpan<byte> bytes) => WriteTlv(0x04, bytes);

    public void WriteNull(byte tag = 0x05) { WriteByte(tag); WriteByte(0); }

    public void WriteOid(Oid oid)
    {
        var arcs = oid.Arcs;
        Span<byte> tmp = stackalloc byte[5 * Math.Max(arcs.Length, 2) + 5];
        var n = 0;
        if (arcs.Length > 0)
        {
            ulong first = arcs.Length >= 2 ? arcs[0] * 40UL + arcs[1] : arcs[0] * 40UL;
            n += WriteBase128(tmp[n..], first);
            for (var i = 2; i < arcs.Length; i++) n += WriteBase128(tmp[n..], arcs[i]);
        }
        WriteTlv(0x06, tmp[..n]);
    }

    private static int WriteBase128(Span<byte> dst, ulong v)
    {
        var groups = 1;
        for (var t = v >> 7; t != 0; t >>= 7) groups++;
        for (var i = 0; i < groups; i++)
        {
            var b = (byte)((v >> (7 * (groups - 1 - i))) & 0x7F);
            dst[i] = i < groups - 1 ? (byte)(b | 0x80) : b;
        }
        return groups;
    }
}
