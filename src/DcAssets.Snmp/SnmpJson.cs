using System.Text;
using System.Text.Json;
using DcAssets.Snmp.Usm;

namespace DcAssets.Snmp;

/// <summary>
/// One JSON object per message, for tooling and diagnostics: header fields, USM parameters, whether
/// the MAC verified ("ok", "failed", "unverified" without credentials, "none" when not authenticated), and the PDU
/// (decrypted when privacy credentials are given). Integers are exact
/// JSON numbers, OIDs and IpAddress dotted strings, octets lowercase hex (plus value_text when printable).
/// </summary>
public static class SnmpJson
{
    /// <summary>
    /// Decodes <paramref name="packet"/>; <paramref name="credentials"/> maps a v3 user name to its passwords (or
    /// null).
    /// </summary>
    public static string Describe(byte[] packet, Func<string, UsmUser?>? credentials = null)
    {
        var msg = SnmpCodec.Decode(packet);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteNumber("version", (int)msg.Version);
            if (msg.Version != SnmpVersion.V3) w.WriteString("community", msg.CommunityText);
            else WriteV3(w, packet, msg, credentials);
            if (msg.Pdu is { } pdu) WritePdu(w, pdu);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void WriteV3(Utf8JsonWriter w, byte[] packet, SnmpMessage msg, Func<string, UsmUser?>? credentials)
    {
        w.WriteNumber("msg_id", msg.MessageId);
        w.WriteNumber("msg_max_size", msg.MaxSize);
        w.WriteString("msg_flags", $"0x{(byte)msg.Flags:x2}");
        w.WriteNumber("msg_security_model", msg.SecurityModel);
        w.WriteStartObject("usm");
        w.WriteString("authoritative_engine_id", Convert.ToHexStringLower(msg.Usm.EngineId));
        w.WriteNumber("engine_boots", msg.Usm.EngineBoots);
        w.WriteNumber("engine_time", msg.Usm.EngineTime);
        w.WriteString("user_name", msg.Usm.UserName);
        w.WriteString("auth_params", Convert.ToHexStringLower(msg.Usm.AuthParameters));
        w.WriteString("priv_params", Convert.ToHexStringLower(msg.Usm.PrivParameters));
        w.WriteEndObject();

        // "none": the message claims no authentication; "unverified": it does, but no auth credentials
        // were given to check its MAC; "ok" / "failed": the MAC was checked.
        var authFlag = (msg.Flags & V3Flags.Auth) != 0;
        var user = credentials?.Invoke(msg.Usm.UserName);
        string auth = authFlag ? "unverified" : "none";
        string? privError = null;
        if (authFlag && user is { Auth: not AuthProtocol.None })
        {
            var keys = UsmCrypto.LocalizeUser(user, msg.Usm.EngineId);
            try
            {
                UsmProcessor.Verify(packet, msg, keys);
                auth = "ok";
            }
            catch (SnmpSecurityException e) when (e.Error == SnmpSecurityError.WrongDigest) { auth = "failed"; }
            catch (SnmpSecurityException e) { auth = "ok"; privError = e.Message; }
            // A failed MAC still lets us try the privacy key, which helps diagnose a wrong auth password.
            if (auth == "failed" && msg.EncryptedPdu is not null && user.Priv != PrivProtocol.None)
            {
                try { UsmProcessor.Decrypt(msg, keys); } catch (SnmpSecurityException e) { privError = e.Message; }
            }
        }
        w.WriteString("auth", auth);
        if (msg.Pdu is not null || msg.EncryptedPdu is null)
        {
            w.WriteString("context_engine_id", Convert.ToHexStringLower(msg.ContextEngineId));
            w.WriteString("context_name", Encoding.UTF8.GetString(msg.ContextName));
        }
        if (msg.Pdu is null && msg.EncryptedPdu is { } enc)
            w.WriteString("encrypted_pdu", Convert.ToHexStringLower(enc));
        if (privError is not null) w.WriteString("decrypt_error", privError);
    }

    private static void WritePdu(Utf8JsonWriter w, SnmpPdu pdu)
    {
        w.WriteString("pdu_type", SnmpPdu.WireName(pdu.Type));
        if (pdu.Type == PduType.TrapV1)
        {
            w.WriteString("enterprise", pdu.Enterprise.ToString());
            w.WriteString("agent_addr", new System.Net.IPAddress(pdu.AgentAddress).ToString());
            w.WriteNumber("generic_trap", pdu.GenericTrap);
            w.WriteNumber("specific_trap", pdu.SpecificTrap);
            w.WriteNumber("time_stamp", pdu.TimeStamp);
        }
        else
        {
            w.WriteNumber("request_id", pdu.RequestId);
            if (pdu.Type == PduType.GetBulkRequest)
            {
                w.WriteNumber("non_repeaters", pdu.NonRepeaters);
                w.WriteNumber("max_repetitions", pdu.MaxRepetitions);
            }
            else
            {
                w.WriteNumber("error_status", pdu.ErrorStatus);
                w.WriteNumber("error_index", pdu.ErrorIndex);
            }
        }
        w.WriteStartArray("varbinds");
        foreach (var vb in pdu.VarBinds)
        {
            w.WriteStartObject();
            w.WriteString("oid", vb.Oid.ToString());
            var v = vb.Value;
            w.WriteString("type", TypeName(v.Type));
            w.WritePropertyName("value");
            switch (v.Type)
            {
                case SnmpType.Integer32: w.WriteNumberValue(v.AsInt64()); break;
                case SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks or SnmpType.Counter64:
                    w.WriteNumberValue(v.AsUInt64()); break;
                case SnmpType.OctetString or SnmpType.Opaque:
                    w.WriteStringValue(Convert.ToHexStringLower(v.AsBytes())); break;
                case SnmpType.ObjectIdentifier: w.WriteStringValue(v.AsOid().ToString()); break;
                case SnmpType.IpAddress: w.WriteStringValue(v.AsIpAddress().ToString()); break;
                default: w.WriteNullValue(); break;
            }
            if (v.AsText() is { } text) w.WriteString("value_text", text);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static string TypeName(SnmpType t) => t switch
    {
        SnmpType.NoSuchObject => "noSuchObject",
        SnmpType.NoSuchInstance => "noSuchInstance",
        SnmpType.EndOfMibView => "endOfMibView",
        _ => t.ToString(),
    };
}
