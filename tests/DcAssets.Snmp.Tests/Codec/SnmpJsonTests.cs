using System.Text.Json;
using DcAssets.Snmp.Usm;

namespace DcAssets.Snmp.Tests.Codec;

/// <summary>The JSON behind <c>dcassets snmp decode</c>.</summary>
public sealed class SnmpJsonTests
{
    private static JsonElement Json(string hex, Func<string, UsmUser?>? creds = null) =>
        JsonDocument.Parse(SnmpJson.Describe(Convert.FromHexString(hex), creds)).RootElement;

    [Fact]
    public void A_v2c_response_lists_header_and_typed_varbinds()
    {
        var j = Json(RealPacketTests.BulkResponse);
        j.GetProperty("version").GetInt32().Should().Be(1);
        j.GetProperty("community").GetString().Should().Be("public");
        j.GetProperty("pdu_type").GetString().Should().Be("Response");
        j.GetProperty("error_status").GetInt32().Should().Be(0);
        var vb = j.GetProperty("varbinds");
        vb.GetArrayLength().Should().Be(6);
        vb[0].GetProperty("oid").GetString().Should().Be("1.3.6.1.2.1.33.1.6.1.0");
        vb[0].GetProperty("type").GetString().Should().Be("Gauge32");
        vb[5].GetProperty("value").GetInt64().Should().Be(3000);
    }

    [Fact]
    public void A_v1_trap_shows_its_trap_fields()
    {
        var j = Json(RealPacketTests.V1Trap);
        j.GetProperty("version").GetInt32().Should().Be(0);
        j.GetProperty("pdu_type").GetString().Should().Be("Trap-v1");
        j.GetProperty("enterprise").GetString().Should().Be("1.3.6.1.2.1.33.2");
        j.GetProperty("agent_addr").GetString().Should().Be("127.0.0.1");
        (j.GetProperty("generic_trap").GetInt32(), j.GetProperty("specific_trap").GetInt32(), j.GetProperty("time_stamp").GetInt64()).Should().Be((6, 1, 123456L));
    }

    [Fact]
    public void Values_are_exact_and_exceptions_are_named()
    {
        var m = new SnmpMessage
        {
            Version = SnmpVersion.V2c, Community = "c"u8.ToArray(),
            Pdu = new SnmpPdu
            {
                Type = PduType.GetBulkRequest, RequestId = -7, NonRepeaters = 1, MaxRepetitions = 9,
                VarBinds =
                [
                    new VarBind(Oid.Parse("1.3.6.1.1"), SnmpValue.Counter64(ulong.MaxValue)),
                    new VarBind(Oid.Parse("1.3.6.1.2"), SnmpValue.OctetString([0x00, 0xff])),
                    new VarBind(Oid.Parse("1.3.6.1.3"), SnmpValue.OctetString("sim")),
                    new VarBind(Oid.Parse("1.3.6.1.4"), SnmpValue.IpAddress(System.Net.IPAddress.Parse("10.1.2.3"))),
                    new VarBind(Oid.Parse("1.3.6.1.5"), SnmpValue.NoSuchInstance),
                    new VarBind(Oid.Parse("1.3.6.1.6"), SnmpValue.Integer32(int.MinValue)),
                ],
            },
        };
        var j = JsonDocument.Parse(SnmpJson.Describe(SnmpCodec.Encode(m))).RootElement;
        j.GetProperty("pdu_type").GetString().Should().Be("GetBulkRequest");
        (j.GetProperty("request_id").GetInt32(), j.GetProperty("non_repeaters").GetInt32(), j.GetProperty("max_repetitions").GetInt32()).Should().Be((-7, 1, 9));
        var vb = j.GetProperty("varbinds");
        vb[0].GetProperty("value").GetUInt64().Should().Be(ulong.MaxValue);
        vb[1].GetProperty("value").GetString().Should().Be("00ff");
        vb[1].TryGetProperty("value_text", out _).Should().BeFalse();
        vb[2].GetProperty("value_text").GetString().Should().Be("sim");
        vb[3].GetProperty("value").GetString().Should().Be("10.1.2.3");
        vb[4].GetProperty("type").GetString().Should().Be("noSuchInstance");
        vb[4].GetProperty("value").ValueKind.Should().Be(JsonValueKind.Null);
        vb[5].GetProperty("value").GetInt64().Should().Be(int.MinValue);
    }

    [Fact]
    public void A_v3_message_verifies_and_decrypts_only_with_the_right_credentials()
    {
        var right = new UsmUser("authPrivUser", AuthProtocol.Sha1, "authpass123", PrivProtocol.Aes128, "privpass123");
        var ok = Json(RealPacketTests.V3AuthPrivResponse, _ => right);
        ok.GetProperty("version").GetInt32().Should().Be(3);
        ok.GetProperty("msg_flags").GetString().Should().Be("0x03");
        ok.GetProperty("usm").GetProperty("user_name").GetString().Should().Be("authPrivUser");
        ok.GetProperty("usm").GetProperty("authoritative_engine_id").GetString().Should().StartWith("80001f8804");
        ok.GetProperty("auth").GetString().Should().Be("ok");
        ok.GetProperty("varbinds")[0].GetProperty("value_text").GetString().Should().Be("sim-agent");

        // Authenticated on the wire but nothing to check the MAC with: not "none", which would read as
        // "this message carries no authentication".
        var unverified = Json(RealPacketTests.V3AuthPrivResponse);
        unverified.GetProperty("auth").GetString().Should().Be("unverified");
        unverified.TryGetProperty("varbinds", out _).Should().BeFalse();

        var failed = Json(RealPacketTests.V3AuthPrivResponse, _ => right with { AuthPassword = "wrongpass1" });
        failed.GetProperty("auth").GetString().Should().Be("failed");
    }

    [Fact]
    public void Auth_is_none_only_when_the_message_is_not_authenticated()
    {
        var engine = Convert.FromHexString("80001f880473696d3136313631");
        var report = UsmProcessor.Encode(new SnmpMessage
        {
            Version = SnmpVersion.V3, MessageId = 5, Flags = V3Flags.Reportable,
            Usm = new UsmParameters { EngineId = engine, EngineBoots = 1, EngineTime = 2 },
            Pdu = new SnmpPdu { Type = PduType.Report, RequestId = 5 },
        }, LocalizedKeys.None);
        var withCredentials = new UsmUser("x", AuthProtocol.Sha1, "authpass123");
        Json(Convert.ToHexString(report)).GetProperty("auth").GetString().Should().Be("none");
        Json(Convert.ToHexString(report), _ => withCredentials).GetProperty("auth").GetString().Should().Be("none");
    }

    [Fact]
    public void Malformed_input_is_the_typed_error_with_its_offset()
    {
        var act = () => SnmpJson.Describe(Convert.FromHexString("3003020109"));
        act.Should().Throw<SnmpDecodeException>().Which.Offset.Should().Be(2);
    }
}
