using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DcAssets.Snmp.Usm;

/// <summary>
/// AES-128-CFB (RFC 3826) and DES-CBC (RFC 3414 §8). CFB is done by hand over AES-ECB because .NET's
/// CFB refuses lengths that are not whole blocks, and SNMP ciphertext is exactly the plaintext length.
/// </summary>
public static class UsmPrivacy
{
    /// <summary>IV = boots(4) || time(4) || salt(8), boots/time of the authoritative engine.</summary>
    public static byte[] AesIv(int boots, int time, ReadOnlySpan<byte> salt)
    {
        if (salt.Length != 8)
            throw new SnmpSecurityException(SnmpSecurityError.DecryptionError,
            "AES privacy parameters must be 8 octets");
        var iv = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(iv, boots);
        BinaryPrimitives.WriteInt32BigEndian(iv.AsSpan(4), time);
        salt.CopyTo(iv.AsSpan(8));
        return iv;
    }

    public static byte[] AesCfb(ReadOnlySpan<byte> key16, byte[] iv, ReadOnlySpan<byte> input, bool encrypt)
    {
        using var aes = Aes.Create();
        aes.Key = key16[..16].ToArray();
        var output = new byte[input.Length];
        Span<byte> register = stackalloc byte[16];
        Span<byte> stream = stackalloc byte[16];
        iv.CopyTo(register);
        for (var off = 0; off < input.Length; off += 16)
        {
            aes.EncryptEcb(register, stream, PaddingMode.None);
            var n = Math.Min(16, input.Length - off);
            for (var i = 0; i < n; i++) output[off + i] = (byte)(input[off + i] ^ stream[i]);
            // The feedback is always the ciphertext block.
            (encrypt ? output.AsSpan(off, n) : input.Slice(off, n)).CopyTo(register);
        }
        return output;
    }

    public static byte[] DesDecrypt(ReadOnlySpan<byte> privKey, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> cipher)
    {
        if (salt.Length != 8)
            throw new SnmpSecurityException(SnmpSecurityError.DecryptionError,
            "DES privacy parameters must be 8 octets");
        if (cipher.Length % 8 != 0)
            throw new SnmpSecurityException(SnmpSecurityError.DecryptionError, "DES ciphertext is not a multiple of 8");
        var iv = new byte[8];
        for (var i = 0; i < 8; i++) iv[i] = (byte)(privKey[8 + i] ^ salt[i]);
        using var des = DES.Create();
        des.Key = privKey[..8].ToArray();
        return des.DecryptCbc(cipher, iv, PaddingMode.None);
    }

    public static byte[] DesEncrypt(ReadOnlySpan<byte> privKey, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> plain)
    {
        var iv = new byte[8];
        for (var i = 0; i < 8; i++) iv[i] = (byte)(privKey[8 + i] ^ salt[i]);
        var padded = new byte[(plain.Length + 7) / 8 * 8];
        plain.CopyTo(padded);
        using var des = DES.Create();
        des.Key = privKey[..8].ToArray();
        return des.EncryptCbc(padded, iv, PaddingMode.None);
    }
}
