using System.Security.Cryptography;

namespace DcAssets.Snmp.Usm;

/// <summary>Password-to-key, localization and HMAC (RFC 3414 §2.6, §6, §7, A.2; RFC 7860).</summary>
public static class UsmCrypto
{
    public static HashAlgorithmName HashOf(AuthProtocol p) => p switch
    {
        AuthProtocol.Md5 => HashAlgorithmName.MD5,
        AuthProtocol.Sha1 => HashAlgorithmName.SHA1,
        AuthProtocol.Sha224 => new HashAlgorithmName("SHA224"),
        AuthProtocol.Sha256 => HashAlgorithmName.SHA256,
        AuthProtocol.Sha384 => HashAlgorithmName.SHA384,
        AuthProtocol.Sha512 => HashAlgorithmName.SHA512,
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    /// <summary>Truncated MAC length on the wire.</summary>
    public static int MacLength(AuthProtocol p) => p switch
    {
        AuthProtocol.None => 0,
        AuthProtocol.Md5 or AuthProtocol.Sha1 => 12,
        AuthProtocol.Sha224 => 16,
        AuthProtocol.Sha256 => 24,
        AuthProtocol.Sha384 => 32,
        AuthProtocol.Sha512 => 48,
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    /// <summary>Ku = H(first 1 MiB of the password repeated).</summary>
    public static byte[] PasswordToKey(AuthProtocol p, string password)
    {
        var pw = System.Text.Encoding.UTF8.GetBytes(password);
        if (pw.Length == 0) throw new ArgumentException("empty password");
        if (p == AuthProtocol.Sha224) return Sha224.PasswordToKey(pw);
        using var h = IncrementalHash.CreateHash(HashOf(p));
        Span<byte> chunk = stackalloc byte[64];
        var idx = 0;
        for (var total = 0; total < 1_048_576; total += 64)
        {
            for (var i = 0; i < 64; i++) chunk[i] = pw[idx++ % pw.Length];
            h.AppendData(chunk);
        }
        return h.GetHashAndReset();
    }

    /// <summary>Kul = H(Ku || engineID || Ku).</summary>
    public static byte[] Localize(AuthProtocol p, byte[] ku, ReadOnlySpan<byte> engineId)
    {
        var buf = new byte[ku.Length * 2 + engineId.Length];
        ku.CopyTo(buf, 0);
        engineId.CopyTo(buf.AsSpan(ku.Length));
        ku.CopyTo(buf, ku.Length + engineId.Length);
        return Hash(p, buf);
    }

    public static byte[] Hash(AuthProtocol p, ReadOnlySpan<byte> data) => p switch
    {
        AuthProtocol.Md5 => MD5.HashData(data),
        AuthProtocol.Sha1 => SHA1.HashData(data),
        AuthProtocol.Sha224 => Sha224.Hash(data),
        AuthProtocol.Sha256 => SHA256.HashData(data),
        AuthProtocol.Sha384 => SHA384.HashData(data),
        AuthProtocol.Sha512 => SHA512.HashData(data),
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    /// <summary>Full HMAC; callers truncate to <see cref="MacLength"/>.</summary>
    public static byte[] Hmac(AuthProtocol p, byte[] key, ReadOnlySpan<byte> data) => p switch
    {
        AuthProtocol.Md5 => HMACMD5.HashData(key, data),
        AuthProtocol.Sha1 => HMACSHA1.HashData(key, data),
        AuthProtocol.Sha224 => Sha224.Hmac(key, data),
        AuthProtocol.Sha256 => HMACSHA256.HashData(key, data),
        AuthProtocol.Sha384 => HMACSHA384.HashData(key, data),
        AuthProtocol.Sha512 => HMACSHA512.HashData(key, data),
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    /// <summary>Localized keys for a user at an engine. Privacy keys use the auth hash (RFC 3414 §2.6).</summary>
    public static LocalizedKeys LocalizeUser(UsmUser user, byte[] engineId, byte[]? authKu = null,
        byte[]? privKu = null)
    {
        if (user.Auth == AuthProtocol.None) return LocalizedKeys.None;
        authKu ??= PasswordToKey(user.Auth, user.AuthPassword!);
        var authKey = Localize(user.Auth, authKu, engineId);
        byte[] privKey = [];
        if (user.Priv != PrivProtocol.None)
        {
            privKu ??= PasswordToKey(user.Auth, user.PrivPassword!);
            privKey = Localize(user.Auth, privKu, engineId);
            if (privKey.Length < 16) throw new ArgumentException("auth hash too short for the privacy key");
        }
        return new LocalizedKeys(user.Auth, authKey, user.Priv, privKey);
    }
}
