using DcAssets.Snmp.Ber;

namespace DcAssets.Snmp;

/// <summary>
/// Pure message codec. Decoding never throws anything but <see cref="SnmpDecodeException"/> and never
/// decrypts: a v3 message with privacy comes back with <see cref="SnmpMessage.EncryptedPdu"/> set
/// (see <see cref="Usm.UsmProcessor"/>).
/// </summary>
public static class SnmpCodec
{
    public static SnmpMessage Decode(ReadOnlySpan<byte> packet)
    {
        var top = new BerReader(packet);
        var r = top.ReadConstructed(0x30);
        var encodedLength = top.Position; // trailing bytes after the message are ignored
        var versionAt = r.Position;
        var version = r.ReadInt32();
        return version switch
        {
            0 or 1 => DecodeCommunity(ref r, (SnmpVersion)version, encodedLength),
            3 => DecodeV3(ref r, encodedLength),
            _ => throw BerReader.Error(versionAt, $"unsupported version {version}"),
        };
    }

    private static SnmpMessage DecodeCommunity(ref BerReader r, SnmpVersion version, int encodedLength)
    {
        var community = r.ReadOctetString();
        var pdu = DecodePdu(ref r);
        return new SnmpMessage { Version = version, Community = community, Pdu = pdu, EncodedLength = encodedLength };
    }

    private static SnmpMessage DecodeV3(ref BerReader r, int encodedLength)
    {
        var h = r.ReadConstructed(0x30);
        var msgId = h.ReadInt32();
        var maxSize = h.ReadInt32();
        var flagsAt = h.Position;
        var flags = h.ReadOctetString();
        if (flags.Length != 1) throw BerReader.Error(flagsAt, "msgFlags must be one octet");
        var model = h.ReadInt32();

        var spAt = r.Position;
        var spContent = r.ReadExpected(0x04, out var spLength);
        // msgSecurityParameters is an OCTET STRING wrapping the USM SEQUENCE.
        var spr = r.Enter(spAt, spContent, spLength);
        var sp = spr.ReadConstructed(0x30);
        var engineId = sp.ReadOctetString();
        var boots = sp.ReadInt32();
        var time = sp.ReadInt32();
        var userAt = sp.Position;
        var user = sp.ReadOctetString();
        if (user.Length > 32) throw BerReader.Error(userAt, "user name longer than 32 octets");
        var authContent = sp.ReadExpected(0x04, out var authLength);
        var auth = sp.Slice(authContent, authLength).ToArray();
        var priv = sp.ReadOctetString();

        var msg = new SnmpMessage
        {
            Version = SnmpVersion.V3, MessageId = msgId, MaxSize = maxSize, Flags = (V3Flags)flags[0],
            SecurityModel = model,
            Usm = new UsmParameters
            {
                EngineId = engineId, EngineBoots = boots, EngineTime = time,
                UserName = System.Text.Encoding.UTF8.GetString(user), AuthParameters = auth, PrivParameters = priv,
            },
            AuthParametersOffset = authContent,
            EncodedLength = encodedLength,
            EncryptedPdu = r.PeekTag() == 0x04 ? r.ReadOctetString() : null,
        };
        if (msg.EncryptedPdu is null)
        {
            var scoped = r.ReadConstructed(0x30);
            DecodeScopedBody(ref scoped, msg);
        }
        return msg;
    }

    /// <summary>
    /// Decodes a (decrypted) ScopedPDU into <paramref name="msg"/>; trailing cipher padding is ignored.
    /// </summary>
    public static void DecodeScopedPdu(ReadOnlySpan<byte> bytes, SnmpMessage msg)
    {
        var top = new BerReader(bytes);
        var scoped = top.ReadConstructed(0x30);
        DecodeScopedBody(ref scoped, msg);
    }

    private static void DecodeScopedBody(ref BerReader scoped, SnmpMessage msg)
    {
        msg.ContextEngineId = scoped.ReadOctetString();
        msg.ContextName = scoped.ReadOctetString();
        msg.Pdu = DecodePdu(ref scoped);
    }

    internal static SnmpPdu DecodePdu(ref BerReader r)
    {
        var at = r.Position;
        var tag = r.PeekTag();
        if (tag is < 0xA0 or > 0xA8) throw BerReader.Error(at, $"unknown PDU tag 0x{tag:x2}");
        var p = r.ReadConstructed(tag);
        var type = (PduType)tag;
        if (type == PduType.TrapV1)
        {
            var enterprise = p.ReadOid();
            var addrAt = p.Position;
            var addrContent = p.ReadHeader(out var addrTag, out var addrLen);
            if (addrTag != 0x40 || addrLen != 4)
                throw BerReader.Error(addrAt, "agent-addr must be a 4-octet IpAddress");
            var addr = p.Slice(addrContent, 4).ToArray();
            var generic = p.ReadInt32();
            var specific = p.ReadInt32();
            var tsContent = p.ReadExpected(0x43, out var tsLen);
            var ts = (uint)p.DecodeUnsigned(tsContent, tsLen, 4);
            return new SnmpPdu
            {
                Type = type, Enterprise = enterprise, AgentAddress = addr, GenericTrap = generic,
                SpecificTrap = specific,
                TimeStamp = ts, VarBinds = DecodeVarBinds(ref p),
            };
        }
        var requestId = p.ReadInt32();
        var status = p.ReadInt32();
        var index = p.ReadInt32();
        return new SnmpPdu { Type = type, RequestId = requestId, ErrorStatus = status, ErrorIndex = index,
            VarBinds = DecodeVarBinds(ref p) };
    }

    private static List<VarBind> DecodeVarBinds(ref BerReader p)
    {
        var list = p.ReadConstructed(0x30);
        // Count first (headers only, nothing allocated) so the list is allocated once at its final size.
        var count = 0;
        for (var probe = list; probe.HasMore; count++) probe.ReadHeader(out _, out _);
        var result = new List<VarBind>(count);
        while (list.HasMore)
        {
            var vb = list.ReadConstructed(0x30);
            var oid = vb.ReadOid(lenient: true);
            var value = DecodeValue(ref vb);
            result.Add(new VarBind(oid, value));
        }
        return result;
    }

    private static SnmpValue DecodeValue(ref BerReader vb)
    {
        var at = vb.Position;
        var content = vb.ReadHeader(out var tag, out var len);
        switch (tag)
        {
            // Values are read as leniently as net-snmp does (wide integers truncated to their type,
            // sign-extended unsigned values, 0x80-padded OID arcs): one odd value from a real agent
            // must not cost the whole response. Lengths and structure stay strict.
            case 0x02: return SnmpValue.Integer32(vb.DecodeInt32Lenient(content, len));
            case 0x04: return SnmpValue.OctetString(vb.Slice(content, len).ToArray());
            case 0x05: return SnmpValue.Null;
            case 0x06: return SnmpValue.ObjectIdentifier(vb.DecodeOid(content, len, lenient: true));
            case 0x40:
                if (len != 4) throw BerReader.Error(at, "IpAddress must be 4 octets");
                return SnmpValue.IpAddressRaw(vb.Slice(content, 4).ToArray());
            case 0x41: return SnmpValue.Counter32((uint)vb.DecodeUnsignedLenient(content, len, 4));
            // 0x47 UInteger32 (RFC 1442) reads as Gauge32
            case 0x42 or 0x47: return SnmpValue.Gauge32((uint)vb.DecodeUnsignedLenient(content, len, 4));
            case 0x43: return SnmpValue.TimeTicks((uint)vb.DecodeUnsignedLenient(content, len, 4));
            case 0x44: return SnmpValue.Opaque(vb.Slice(content, len).ToArray());
            case 0x46: return SnmpValue.Counter64(vb.DecodeUnsignedLenient(content, len, 8));
            case 0x80: return SnmpValue.NoSuchObject;
            case 0x81: return SnmpValue.NoSuchInstance;
            case 0x82: return SnmpValue.EndOfMibView;
            default: throw BerReader.Error(at, $"unknown value tag 0x{tag:x2}");
        }
    }

    /// <summary>
    /// Encodes a v1 or v2c message (minimal lengths). v3 goes through <see cref="Usm.UsmProcessor"/>.
    /// </summary>
    public static byte[] Encode(SnmpMessage msg)
    {
        if (msg.Version == SnmpVersion.V3)
            throw new ArgumentException("use UsmProcessor.Encode for SNMPv3", nameof(msg));
        var w = new BerWriter(128 + 32 * (msg.Pdu?.VarBinds.Count ?? 0));
        var m = w.Begin(0x30);
        w.WriteInteger((int)msg.Version);
        w.WriteOctetString(msg.Community);
        EncodePdu(w, msg.Pdu ?? throw new ArgumentException("message has no PDU", nameof(msg)));
        w.End(m);
        return w.ToArray();
    }

    internal static void EncodeScopedPdu(BerWriter w, ReadOnlySpan<byte> contextEngineId,
        ReadOnlySpan<byte> contextName, SnmpPdu pdu)
    {
        var s = w.Begin(0x30);
        w.WriteOctetString(contextEngineId);
        w.WriteOctetString(contextName);
        EncodePdu(w, pdu);
        w.End(s);
    }

    internal static void EncodePdu(BerWriter w, SnmpPdu pdu)
    {
        var p = w.Begin((byte)pdu.Type);
        if (pdu.Type == PduType.TrapV1)
        {
            w.WriteOid(pdu.Enterprise);
            w.WriteTlv(0x40, pdu.AgentAddress);
            w.WriteInteger(pdu.GenericTrap);
            w.WriteInteger(pdu.SpecificTrap);
            w.WriteUnsigned(pdu.TimeStamp, 0x43);
        }
        else
        {
            w.WriteInteger(pdu.RequestId);
            w.WriteInteger(pdu.ErrorStatus);
            w.WriteInteger(pdu.ErrorIndex);
        }
        var l = w.Begin(0x30);
        foreach (var vb in pdu.VarBinds)
        {
            var b = w.Begin(0x30);
            w.WriteOid(vb.Oid);
            EncodeValue(w, vb.Value);
            w.End(b);
        }
        w.End(l);
        w.End(p);
    }

    private static void EncodeValue(BerWriter w, SnmpValue v)
    {
        switch (v.Type)
        {
            case SnmpType.Integer32: w.WriteInteger(v.AsInt64()); break;
            case SnmpType.OctetString or SnmpType.Opaque or SnmpType.IpAddress:
                w.WriteTlv((byte)v.Type, v.AsBytes()); break;
            case SnmpType.Null or SnmpType.NoSuchObject or SnmpType.NoSuchInstance or SnmpType.EndOfMibView:
                w.WriteNull((byte)v.Type); break;
            case SnmpType.ObjectIdentifier: w.WriteOid(v.AsOid()); break;
            default: w.WriteUnsigned(v.AsUInt64(), (byte)v.Type); break;
        }
    }
}
