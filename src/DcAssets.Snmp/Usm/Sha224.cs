using System.Buffers.Binary;

namespace DcAssets.Snmp.Usm;

/// <summary>
/// SHA-224 (FIPS 180-4): SHA-256 with other initial values, truncated to 28 octets. .NET has no
/// SHA-224, and RFC 7860's usmHMAC128SHA224AuthProtocol needs it.
/// </summary>
internal sealed class Sha224
{
    private static readonly uint[] K =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private readonly uint[] _h = [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7,
        0xbefa4fa4];
    private readonly byte[] _block = new byte[64];
    private readonly uint[] _w = new uint[64];
    private int _fill;
    private long _total;

    public void Append(ReadOnlySpan<byte> data)
    {
        _total += data.Length;
        while (data.Length > 0)
        {
            var n = Math.Min(64 - _fill, data.Length);
            data[..n].CopyTo(_block.AsSpan(_fill));
            _fill += n; data = data[n..];
            if (_fill == 64) { Compress(); _fill = 0; }
        }
    }

    public byte[] Finish()
    {
        var bits = _total * 8;
        Span<byte> pad = stackalloc byte[72];
        pad.Clear();
        pad[0] = 0x80;
        var padLen = (_fill < 56 ? 56 - _fill : 120 - _fill);
        BinaryPrimitives.WriteInt64BigEndian(pad[padLen..], bits);
        var total = _total;
        Append(pad[..(padLen + 8)]);
        _total = total;
        var result = new byte[28];
        for (var i = 0; i < 7; i++) BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(4 * i), _h[i]);
        return result;
    }

    private void Compress()
    {
        var w = _w;
        for (var i = 0; i < 16; i++) w[i] = BinaryPrimitives.ReadUInt32BigEndian(_block.AsSpan(4 * i));
        for (var i = 16; i < 64; i++)
        {
            var s0 = uint.RotateRight(w[i - 15], 7) ^ uint.RotateRight(w[i - 15], 18) ^ (w[i - 15] >> 3);
            var s1 = uint.RotateRight(w[i - 2], 17) ^ uint.RotateRight(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint a = _h[0], b = _h[1], c = _h[2], d = _h[3], e = _h[4], f = _h[5], g = _h[6], h = _h[7];
        for (var i = 0; i < 64; i++)
        {
            var t1 = h + (uint.RotateRight(e, 6) ^ uint.RotateRight(e, 11) ^ uint.RotateRight(e, 25))
                + ((e & f) ^ (~e & g)) + K[i] + w[i];
            var t2 = (uint.RotateRight(a, 2) ^ uint.RotateRight(a, 13) ^ uint.RotateRight(a, 22))
                + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        _h[0] += a; _h[1] += b; _h[2] += c; _h[3] += d; _h[4] += e; _h[5] += f; _h[6] += g; _h[7] += h;
    }

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var s = new Sha224();
        s.Append(data);
        return s.Finish();
    }

    public static byte[] Hmac(byte[] key, ReadOnlySpan<byte> data)
    {
        if (key.Length > 64) key = Hash(key);
        Span<byte> ipad = stackalloc byte[64];
        Span<byte> opad = stackalloc byte[64];
        ipad.Clear(); opad.Clear();
        key.CopyTo(ipad); key.CopyTo(opad);
        for (var i = 0; i < 64; i++) { ipad[i] ^= 0x36; opad[i] ^= 0x5c; }
        var inner = new Sha224();
        inner.Append(ipad); inner.Append(data);
        var outer = new Sha224();
        outer.Append(opad); outer.Append(inner.Finish());
        return outer.Finish();
    }

    public static byte[] PasswordToKey(byte[] pw)
    {
        var s = new Sha224();
        Span<byte> chunk = stackalloc byte[64];
        var idx = 0;
        for (var total = 0; total < 1_048_576; total += 64)
        {
            for (var i = 0; i < 64; i++) chunk[i] = pw[idx++ % pw.Length];
            s.Append(chunk);
        }
        return s.Finish();
    }
}
