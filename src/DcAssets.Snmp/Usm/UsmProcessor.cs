using System.Buffers.Binary;
using System.Security.Cryptography;
using DcAssets.Snmp.Ber;

namespace DcAssets.Snmp.Usm;

/// <summary>
/// Outgoing and incoming SNMPv3/USM processing: encryption, MAC in place over the whole message,
/// verification over the bytes as received (never re-encoded), decryption.
/// </summary>
public static class UsmProcessor
{
    private static long _salt = BinaryPrimitives.ReadInt64BigEndian(RandomNumberGenerator.GetBytes(8));

    /// <summary>A fresh 64-bit salt; RFC 3826 forbids reusing one under a key, so it only ever increments.</summary>
    public static ulong NextSalt() => unchecked((ulong)Interlocked.Increment(ref _salt));

    public static byte[] Encode(SnmpMessage msg, LocalizedKeys keys) => Encode(msg, keys, NextSalt());

    public static byte[] Encode(SnmpMessage msg, LocalizedKeys keys, ulong salt)
    {
        var pdu = msg.Pdu ?? throw new ArgumentException("message has no PDU", nameof(msg));
        var usm = msg.Usm;
        var auth = (msg.Flags & V3Flags.Auth) != 0;
        var priv = (msg.Flags & V3Flags.Priv) != 0;
        if (priv && !auth) throw new ArgumentException("privacy without authentication is not a valid msgFlags");
        if (auth && keys.Auth == AuthProtocol.None)
            throw new ArgumentException("authentication requested without an auth key");
        if (priv && keys.Priv == PrivProtocol.None)
            throw new ArgumentException("privacy requested without a privacy key");

        var scoped = new BerWriter(256);
        SnmpCodec.EncodeScopedPdu(scoped, msg.ContextEngineId, msg.ContextName, pdu);
        byte[] privParams = [];
        var data = new BerWriter(scoped.Length + 8);
        if (priv)
        {
            privParams = new byte[8];
            byte[] cipher;
            if (keys.Priv == PrivProtocol.Aes128)
            {
                BinaryPrimitives.WriteUInt64BigEndian(privParams, salt);
                cipher = UsmPrivacy.AesCfb(keys.PrivKey, UsmPrivacy.AesIv(usm.EngineBoots, usm.EngineTime, privParams),
                    scoped.Written, encrypt: true);
            }
            else
            {
                // DES salt = engine boots || local counter (RFC 3414 §8.1.1.1).
                BinaryPrimitives.WriteInt32BigEndian(privParams, usm.EngineBoots);
                BinaryPrimitives.WriteUInt32BigEndian(privParams.AsSpan(4), (uint)salt);
                cipher = UsmPrivacy.DesEncrypt(keys.PrivKey, privParams, scoped.Written);
            }
            data.WriteOctetString(cipher);
        }
        else data.WriteRaw(scoped.Written);

        var macLength = auth ? UsmCrypto.MacLength(keys.Auth) : 0;
        var sp = new BerWriter(96);
        sp.WriteOctetString(usm.EngineId);
        sp.WriteInteger(usm.EngineBoots);
        sp.WriteInteger(usm.EngineTime);
        sp.WriteOctetString(System.Text.Encoding.UTF8.GetBytes(usm.UserName));
        sp.WriteByte(0x04);
        sp.WriteLength(macLength);
        var macInSp = sp.Length;
        sp.WriteRaw(new byte[macLength]);
        sp.WriteOctetString(privParams);
        var spSeq = new BerWriter(sp.Length + 4);
        spSeq.WriteTlv(0x30, sp.Written);
        macInSp += 1 + BerWriter.LengthOfLength(sp.Length);

        var body = new BerWriter(spSeq.Length + data.Length + 48);
        body.WriteInteger(3);
        var h = body.Begin(0x30);
        body.WriteInteger(msg.MessageId);
        body.WriteInteger(msg.MaxSize);
        body.WriteOctetString([(byte)msg.Flags]);
        body.WriteInteger(msg.SecurityModel);
        body.End(h);
        body.WriteByte(0x04);
        body.WriteLength(spSeq.Length);
        var spInBody = body.Length;
        body.WriteRaw(spSeq.Written);
        body.WriteRaw(data.Written);

        var whole = new BerWriter(body.Length + 6);
        whole.WriteTlv(0x30, body.Written);
        var bytes = whole.ToArray();
        if (auth)
        {
            var macAt = 1 + BerWriter.LengthOfLength(body.Length) + spInBody + macInSp;
            var mac = UsmCrypto.Hmac(keys.Auth, keys.AuthKey, bytes);
            mac.AsSpan(0, macLength).CopyTo(bytes.AsSpan(macAt));
        }
        return bytes;
    }

    /// <summary>
    /// Checks the MAC of a decoded v3 message against <paramref name="packet"/> (as received) and
    /// decrypts its scoped PDU. Throws <see cref="SnmpSecurityException"/> on any failure.
    /// </summary>
    public static void Verify(ReadOnlySpan<byte> packet, SnmpMessage msg, LocalizedKeys keys)
    {
        var auth = (msg.Flags & V3Flags.Auth) != 0;
        var priv = (msg.Flags & V3Flags.Priv) != 0;
        if (priv && !auth)
            throw new SnmpSecurityException(SnmpSecurityError.UnsupportedSecurityLevel,
            "privacy flag without authentication");
        if (auth)
        {
            if (keys.Auth == AuthProtocol.None)
                throw new SnmpSecurityException(SnmpSecurityError.UnsupportedSecurityLevel,
                "message is authenticated but the user has no auth key");
            var macLength = UsmCrypto.MacLength(keys.Auth);
            if (msg.Usm.AuthParameters.Length != macLength || msg.AuthParametersOffset < 0)
                throw new SnmpSecurityException(SnmpSecurityError.WrongDigest,
                    $"expected a {macLength}-octet MAC, found {msg.Usm.AuthParameters.Length}");
            var copy = packet[..msg.EncodedLength].ToArray();
            copy.AsSpan(msg.AuthParametersOffset, macLength).Clear();
            var mac = UsmCrypto.Hmac(keys.Auth, keys.AuthKey, copy);
            if (!CryptographicOperations.FixedTimeEquals(mac.AsSpan(0, macLength), msg.Usm.AuthParameters))
                throw new SnmpSecurityException(SnmpSecurityError.WrongDigest, "MAC does not match");
        }
        if (priv) Decrypt(msg, keys);
        else if (msg.EncryptedPdu is not null)
            throw new SnmpSecurityException(SnmpSecurityError.DecryptionError,
            "encrypted PDU without the privacy flag");
    }

    public static void Decrypt(SnmpMessage msg, LocalizedKeys keys)
    {
        var cipher = msg.EncryptedPdu
            ?? throw new SnmpSecurityException(SnmpSecurityError.DecryptionError,
            "privacy flag set but the PDU is plaintext");
        if (keys.Priv == PrivProtocol.None)
            throw new SnmpSecurityException(SnmpSecurityError.UnsupportedSecurityLevel,
            "message is encrypted but the user has no privacy key");
        var salt = msg.Usm.PrivParameters;
        var plain = keys.Priv == PrivProtocol.Aes128
            ? UsmPrivacy.AesCfb(keys.PrivKey, UsmPrivacy.AesIv(msg.Usm.EngineBoots, msg.Usm.EngineTime, salt), cipher,
                encrypt: false)
            : UsmPrivacy.DesDecrypt(keys.PrivKey, salt, cipher);
        try { SnmpCodec.DecodeScopedPdu(plain, msg); }
        catch (SnmpDecodeException e)
        {
            // Garbage after decryption means a wrong privacy key, not a malformed sender.
            throw new SnmpSecurityException(SnmpSecurityError.DecryptionError,
                $"decrypted scoped PDU is malformed ({e.Reason})");
        }
    }

    /// <summary>Names a Report by its first varbind (usmStats or snmpUnknown* counters).</summary>
    public static SnmpSecurityError ClassifyReport(SnmpPdu report)
    {
        if (report.VarBinds.Count == 0) return SnmpSecurityError.UnknownReport;
        var oid = report.VarBinds[0].Oid;
        if (oid.Length == 11 && oid.StartsWith(UsmStats))
            return oid[9] switch
            {
                1 => SnmpSecurityError.UnsupportedSecurityLevel,
                2 => SnmpSecurityError.NotInTimeWindow,
                3 => SnmpSecurityError.UnknownUserName,
                4 => SnmpSecurityError.UnknownEngineId,
                5 => SnmpSecurityError.WrongDigest,
                6 => SnmpSecurityError.DecryptionError,
                _ => SnmpSecurityError.UnknownReport,
            };
        return SnmpSecurityError.UnknownReport;
    }

    public static readonly Oid UsmStats = Oid.Parse("1.3.6.1.6.3.15.1.1");
    public static readonly Oid UsmStatsUnknownEngineIds = Oid.Parse("1.3.6.1.6.3.15.1.1.4.0");
    public static readonly Oid UsmStatsNotInTimeWindows = Oid.Parse("1.3.6.1.6.3.15.1.1.2.0");
    public static readonly Oid UsmStatsUnknownUserNames = Oid.Parse("1.3.6.1.6.3.15.1.1.3.0");
    public static readonly Oid UsmStatsWrongDigests = Oid.Parse("1.3.6.1.6.3.15.1.1.5.0");
}
