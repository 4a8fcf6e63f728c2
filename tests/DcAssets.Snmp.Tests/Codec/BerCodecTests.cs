using System.Net;
using DcAssets.Snmp.Ber;

namespace DcAssets.Snmp.Tests.Codec;

public sealed class BerCodecTests
{
    private static byte[] Hex(string s) => Convert.FromHexString(s.Replace(" ", ""));

    private static SnmpMessage RoundTrip(SnmpMessage m) => SnmpCodec.Decode(SnmpCodec.Encode(m));

    private static SnmpMessage Response(params VarBind[] vbs) => new()
    {
        Version = SnmpVersion.V2c, Community = "public"u8.ToArray(),
        Pdu = new SnmpPdu { Type = PduType.Response, RequestId = 42, VarBinds = vbs },
    };

    [Fact]
    public void Decodes_a_real_counter64_response_and_reencodes_it_byte_for_byte()
    {
        var bytes = Hex("302f02010104067075626c6963a2220204 0b58f152 020100020100 3014 3012 060b2b060102011f0101010a01 4603175087");
        var m = SnmpCodec.Decode(bytes);
        m.Version.Should().Be(SnmpVersion.V2c);
        m.CommunityText.Should().Be("public");
        m.Pdu!.Type.Should().Be(PduType.Response);
        m.Pdu.RequestId.Should().Be(190378322);
        m.Pdu.VarBinds.Single().Oid.ToString().Should().Be("1.3.6.1.2.1.31.1.1.1.10.1");
        m.Pdu.VarBinds.Single().Value.Should().Be(SnmpValue.Counter64(1527943));
        SnmpCodec.Encode(m).Should().Equal(bytes);
    }

    [Fact]
    public void Decodes_the_endOfMibView_bulk_answer_of_snmpd_593()
    {
        var bytes = Hex("303d0201010407" + Convert.ToHexString("upsonly"u8) + "a22f02042d42f021020100020100" +
                        "3021300f060a2b06010201210163070002 01d8300e060a2b0601020121016307008200");
        var m = SnmpCodec.Decode(bytes);
        m.Pdu!.VarBinds.Should().HaveCount(2);
        m.Pdu.VarBinds[0].Value.AsInt32().Should().Be(-40);
        m.Pdu.VarBinds[1].Value.Type.Should().Be(SnmpType.EndOfMibView);
        SnmpCodec.Encode(m).Should().Equal(bytes);
    }

    [Fact]
    public void Every_type_and_exception_round_trips()
    {
        var vbs = new[]
        {
            new VarBind(Oid.Parse("1.3.6.1.1"), SnmpValue.Integer32(-40)),
            new VarBind(Oid.Parse("1.3.6.1.2"), SnmpValue.OctetString("ACME Power")),
            new VarBind(Oid.Parse("1.3.6.1.3"), SnmpValue.Null),
            new VarBind(Oid.Parse("1.3.6.1.4"), SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.2.1.33.1.6.3.2"))),
            new VarBind(Oid.Parse("1.3.6.1.5"), SnmpValue.IpAddress(IPAddress.Parse("192.0.2.7"))),
            new VarBind(Oid.Parse("1.3.6.1.6"), SnmpValue.Counter32(uint.MaxValue)),
            new VarBind(Oid.Parse("1.3.6.1.7"), SnmpValue.Gauge32(2147483648)),
            new VarBind(Oid.Parse("1.3.6.1.8"), SnmpValue.TimeTicks(12345)),
            new VarBind(Oid.Parse("1.3.6.1.9"), SnmpValue.Opaque(Hex("9f780442f60000"))),
            new VarBind(Oid.Parse("1.3.6.1.10"), SnmpValue.Counter64(ulong.MaxValue)),
            new VarBind(Oid.Parse("1.3.6.1.11"), SnmpValue.NoSuchObject),
            new VarBind(Oid.Parse("1.3.6.1.12"), SnmpValue.NoSuchInstance),
            new VarBind(Oid.Parse("1.3.6.1.13"), SnmpValue.EndOfMibView),
        };
        var back = RoundTrip(Response(vbs)).Pdu!.VarBinds;
        back.Should().Equal(vbs);
        back[4].Value.AsIpAddress().Should().Be(IPAddress.Parse("192.0.2.7"));
        back[9].Value.AsUInt64().Should().Be(ulong.MaxValue);
    }

    [Theory]
    [InlineData(0, "020100")]
    [InlineData(-1, "0201ff")]
    [InlineData(127, "02017f")]
    [InlineData(128, "02020080")]
    [InlineData(-128, "020180")]
    [InlineData(-129, "0202ff7f")]
    [InlineData(5001, "02021389")]
    [InlineData(int.MaxValue, "02047fffffff")]
    [InlineData(int.MinValue, "020480000000")]
    public void Integers_use_minimal_twos_complement(int value, string hex)
    {
        var w = new BerWriter();
        w.WriteInteger(value);
        Convert.ToHexStringLower(w.Written).Should().Be(hex);
        var r = new BerReader(w.Written);
        r.ReadInt32().Should().Be(value);
    }

    [Theory]
    [InlineData(0x41, 0UL, "410100")]
    [InlineData(0x41, 128UL, "41020080")]
    [InlineData(0x42, 4294967295UL, "420500ffffffff")]
    [InlineData(0x46, 18446744073709551615UL, "460900ffffffffffffffff")]
    public void Unsigned_types_get_a_leading_zero_when_the_top_bit_is_set(byte tag, ulong value, string hex)
    {
        var w = new BerWriter();
        w.WriteUnsigned(value, tag);
        Convert.ToHexStringLower(w.Written).Should().Be(hex);
    }

    [Fact]
    public void Unsigned_values_are_not_sign_extended_even_without_the_leading_zero()
    {
        // Some agents send Counter32 4294967295 as 41 04 ff ff ff ff.
        var raw = Hex("3024 020101 04067075626c6963 a217 020101 020100 020100 300c 300a 06022b06 4104ffffffff");
        SnmpCodec.Decode(raw).Pdu!.VarBinds.Single().Value.AsUInt64().Should().Be(uint.MaxValue);
    }

    [Theory]
    [InlineData("1.3.6.1.4.1.318", "06072b06010401823e")]
    [InlineData("1.3.6.1.4.1.2863", "06072b0601040196 2f")]
    [InlineData("1.3.6.1.4.1.34187", "06082b06010401828b0b")]
    [InlineData("1.3.6.1.4.1.192", "06072b060104018140")]
    [InlineData("2.999.3", "0603883703")]
    [InlineData("1.3.6.4294967295", "06072b068fffffff7f")]
    public void OIDs_encode_base128_and_decode_back(string oid, string hex)
    {
        var w = new BerWriter();
        w.WriteOid(Oid.Parse(oid));
        Convert.ToHexStringLower(w.Written).Should().Be(hex.Replace(" ", ""));
        new BerReader(w.Written).ReadOid().ToString().Should().Be(oid);
    }

    [Fact]
    public void OID_arcs_above_2_to_the_32_are_rejected_with_the_offset()
    {
        var act = () => new BerReader(Hex("06072b0690ffffff7f")).ReadOid();
        act.Should().Throw<SnmpDecodeException>().Which.Offset.Should().BeGreaterThan(1);
    }

    [Fact]
    public void Long_form_and_non_minimal_lengths_are_accepted()
    {
        // 30 82 00 2f instead of 30 2f, and the integer 02 81 01 00 (long form for one octet).
        var bytes = Hex("30820030 020101 04067075626c6963 a223 02040b58f152 02810100 020100 3014 3012 060b2b060102011f0101010a01 4603175087");
        var m = SnmpCodec.Decode(bytes);
        m.Pdu!.VarBinds.Single().Value.AsUInt64().Should().Be(1527943);
        m.Pdu.ErrorStatus.Should().Be(0);
    }

    [Fact]
    public void Negative_request_ids_and_trailing_bytes_are_accepted()
    {
        var m = Response(new VarBind(Oid.Parse("1.3.6.1.2.1.1.5.0"), SnmpValue.OctetString("x")));
        m.Pdu!.RequestId = -1658102644;
        var bytes = SnmpCodec.Encode(m).Concat(new byte[] { 0, 0, 0xde, 0xad }).ToArray();
        var back = SnmpCodec.Decode(bytes);
        back.Pdu!.RequestId.Should().Be(-1658102644);
        back.EncodedLength.Should().Be(bytes.Length - 4);
    }

    [Theory]
    [InlineData("302f020101", 1, "overruns")]
    [InlineData("3080020101", 1, "indefinite")]
    [InlineData("30", 1, "truncated")]
    [InlineData("30050201", 1, "overruns")]
    [InlineData("3003020201", 3, "overruns")]
    [InlineData("3003020109", 2, "unsupported version")]
    [InlineData("308501000000000201", 1, "too large")]
    [InlineData("30840000", 1, "truncated length")]
    public void Malformed_input_gives_the_typed_error_naming_the_offset(string hex, int offset, string reason)
    {
        var act = () => SnmpCodec.Decode(Hex(hex.Length % 2 == 1 ? hex + "0" : hex));
        var e = act.Should().Throw<SnmpDecodeException>().Which;
        e.Offset.Should().Be(offset);
        e.Message.Should().Contain(reason);
    }

    [Fact]
    public void Nesting_deeper_than_the_bound_is_rejected()
    {
        var depth = BerReader.MaxDepth + 2;
        var bytes = new byte[depth * 2];
        for (var i = 0; i < depth; i++) { bytes[2 * i] = 0x30; bytes[2 * i + 1] = (byte)(2 * (depth - i - 1)); }
        var threw = false;
        try
        {
            var r = new BerReader(bytes);
            for (var i = 0; i < depth; i++) r = r.ReadConstructed(0x30);
        }
        catch (SnmpDecodeException e) { threw = e.Message.Contains("too deep"); }
        threw.Should().BeTrue();
    }

    [Fact]
    public void V1_trap_round_trips_with_its_own_fields()
    {
        var m = new SnmpMessage
        {
            Version = SnmpVersion.V1, Community = "public"u8.ToArray(),
            Pdu = new SnmpPdu
            {
                Type = PduType.TrapV1, Enterprise = Oid.Parse("1.3.6.1.2.1.33.2"), AgentAddress = [127, 0, 0, 1],
                GenericTrap = 6, SpecificTrap = 1, TimeStamp = 123456,
                VarBinds = [new VarBind(Oid.Parse("1.3.6.1.2.1.33.1.2.3.0"), SnmpValue.Integer32(12))],
            },
        };
        var back = RoundTrip(m).Pdu!;
        back.Type.Should().Be(PduType.TrapV1);
        back.Enterprise.Should().Be(Oid.Parse("1.3.6.1.2.1.33.2"));
        back.AgentAddress.Should().Equal(127, 0, 0, 1);
        (back.GenericTrap, back.SpecificTrap, back.TimeStamp).Should().Be((6, 1, 123456u));
        back.VarBinds.Single().Value.AsInt32().Should().Be(12);
    }

    [Theory]
    [InlineData(PduType.GetRequest)]
    [InlineData(PduType.GetNextRequest)]
    [InlineData(PduType.SetRequest)]
    [InlineData(PduType.GetBulkRequest)]
    [InlineData(PduType.InformRequest)]
    [InlineData(PduType.SnmpV2Trap)]
    [InlineData(PduType.Report)]
    public void Every_pdu_type_round_trips(PduType type)
    {
        var m = new SnmpMessage
        {
            Version = SnmpVersion.V2c, Community = "c"u8.ToArray(),
            Pdu = new SnmpPdu { Type = type, RequestId = 7, ErrorStatus = 1, ErrorIndex = 10, VarBinds = [new VarBind(Oid.Parse("1.3.6.1"))] },
        };
        var back = RoundTrip(m).Pdu!;
        back.Type.Should().Be(type);
        (back.NonRepeaters, back.MaxRepetitions).Should().Be((1, 10));
    }

    [Fact]
    public void Large_messages_use_long_form_lengths_that_decode_back()
    {
        var vbs = Enumerable.Range(1, 300).Select(i => new VarBind(Oid.Parse($"1.3.6.1.4.1.8072.9999.10.1.{i}"), SnmpValue.OctetString(new string('x', i % 200)))).ToArray();
        var bytes = SnmpCodec.Encode(Response(vbs));
        bytes[1].Should().Be(0x82);
        SnmpCodec.Decode(bytes).Pdu!.VarBinds.Should().Equal(vbs);
    }

    [Fact]
    public void Formatter_matches_net_snmp_spelling()
    {
        SnmpFormatter.NetSnmpValue(SnmpValue.TimeTicks(12345)).Should().Be("Timeticks: (12345) 0:02:03.45");
        SnmpFormatter.NetSnmpValue(SnmpValue.TimeTicks(8640000 * 2 + 100)).Should().Be("Timeticks: (17280100) 2 days, 0:00:01.00");
        SnmpFormatter.NetSnmpValue(SnmpValue.OctetString([0, 0x15, 0x99])).Should().Be("Hex-STRING: 00 15 99 ");
        SnmpFormatter.NetSnmpValue(SnmpValue.OctetString("a\"b")).Should().Be("STRING: \"a\\\"b\"");
        SnmpFormatter.NetSnmpValue(SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6"))).Should().Be("OID: .1.3.6");
    }

    [Theory]
    [InlineData("9f780442f6e979", "Opaque: Float: 123.456001")]
    [InlineData("9f7908c05edd2f1a9fbe77", "Opaque: Float: -123.456000")]
    [InlineData("9f78047f800000", "Opaque: Float: inf")]
    [InlineData("9f7808412e848000000000", "OPAQUE: 9F 78 08 41 2E 84 80 00 00 00 00 ")]
    [InlineData("010203", "OPAQUE: 01 02 03 ")]
    public void Opaque_float_and_double_print_as_net_snmp_prints_them(string hex, string expected) =>
        SnmpFormatter.NetSnmpValue(SnmpValue.Opaque(Convert.FromHexString(hex))).Should().Be(expected);

    [Theory]
    [InlineData("41420b0c090a0d43", "STRING: \"AB\v\f\t\n\rC\"")]
    [InlineData("41424300", "Hex-STRING: 41 42 43 00 ")]
    [InlineData("7f41", "Hex-STRING: 7F 41 ")]
    [InlineData("e69cba", "Hex-STRING: E6 9C BA ")]
    public void Octet_strings_follow_net_snmps_printable_rule(string hex, string expected) =>
        SnmpFormatter.NetSnmpValue(SnmpValue.OctetString(Convert.FromHexString(hex))).Should().Be(expected);
}
