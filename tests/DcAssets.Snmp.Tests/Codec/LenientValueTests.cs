using DcAssets.Snmp.Ber;

namespace DcAssets.Snmp.Tests.Codec;

/// <summary>
/// Varbind values that real agents get wrong are read as net-snmp reads them rather than costing the
/// whole response; header fields (version, ids, error fields, enterprise) stay strict.
/// </summary>
public sealed class LenientValueTests
{
    /// <summary>A v2c Response (request-id 1) with one varbind 1.3.6.1.2.1.1.5.0 whose value is <paramref name="valueTlv"/>.</summary>
    private static byte[] ResponseWith(string valueTlv) => Message("020101", "06082b06010201010500", valueTlv);

    private static byte[] Message(string requestIdTlv, string nameTlv, string valueTlv)
    {
        static string Tlv(string tag, string content) => tag + (content.Length / 2).ToString("x2") + content;
        var vb = Tlv("30", nameTlv + valueTlv.Replace(" ", ""));
        var pdu = Tlv("a2", requestIdTlv + "020100" + "020100" + Tlv("30", vb));
        return Convert.FromHexString(Tlv("30", "020101" + "04067075626c6963" + pdu));
    }

    private static SnmpValue Value(string valueTlv) => SnmpCodec.Decode(ResponseWith(valueTlv)).Pdu!.VarBinds.Single().Value;

    [Theory]
    [InlineData("02 05 01 00 00 00 05", 5)]                       // 2^32 + 5: low 32 bits
    [InlineData("02 08 7f ff ff ff ff ff ff ff", -1)]             // 2^63 - 1
    [InlineData("02 09 00 80 00 00 00 00 00 00 2a", 42)]          // wider than 64 bits
    [InlineData("02 05 ff 7f ff ff ff", int.MaxValue)]            // below -2^31
    [InlineData("02 04 80 00 00 00", int.MinValue)]
    [InlineData("02 06 ff ff ff ff ff fe", -2)]                   // redundant sign octets
    public void An_INTEGER_wider_than_32_bits_keeps_its_low_32_bits(string tlv, int expected) =>
        Value(tlv).AsInt32().Should().Be(expected);

    [Theory]
    [InlineData("41 01 ff", SnmpType.Counter32, 4294967295UL)]                 // FF meant as 2^32-1
    [InlineData("42 05 ff ff ff ff ff", SnmpType.Gauge32, 4294967295UL)]       // sign-extended FF prefix
    [InlineData("42 02 ff 9c", SnmpType.Gauge32, 4294967196UL)]                // -100 as a 32-bit pattern
    [InlineData("43 05 01 00 00 00 07", SnmpType.TimeTicks, 7UL)]              // 2^32 + 7: low 32 bits
    [InlineData("41 05 00 ff ff ff ff", SnmpType.Counter32, 4294967295UL)]     // the correct form still reads
    [InlineData("46 01 ff", SnmpType.Counter64, ulong.MaxValue)]
    [InlineData("46 0a 00 01 00 00 00 00 00 00 00 09", SnmpType.Counter64, 9UL)] // wider than 64 bits
    public void Unsigned_values_sign_extend_and_truncate_to_their_width(string tlv, SnmpType type, ulong expected)
    {
        var v = Value(tlv);
        v.Type.Should().Be(type);
        v.AsUInt64().Should().Be(expected);
    }

    [Fact]
    public void An_OID_value_with_a_0x80_padded_sub_identifier_reads_as_the_same_arc()
    {
        // 1.3.6.1.4.1.8072 with the 8072 arc written as 80 80 bf 08 instead of bf 08.
        Value("06 09 2b 06 01 04 01 80 80 bf 08").AsOid().ToString().Should().Be("1.3.6.1.4.1.8072");
    }

    [Fact]
    public void A_varbind_name_with_a_0x80_padded_sub_identifier_is_accepted_too()
    {
        var m = SnmpCodec.Decode(Message("020101", "06092b060102010180 0500".Replace(" ", ""), "0500"));
        m.Pdu!.VarBinds.Single().Oid.ToString().Should().Be("1.3.6.1.2.1.1.5.0");
    }

    [Fact]
    public void Structure_is_still_checked_inside_values()
    {
        var act = () => Value("02 00");
        act.Should().Throw<SnmpDecodeException>().Which.Reason.Should().Contain("empty");
        var overrun = () => Value("41 09 ff");
        overrun.Should().Throw<SnmpDecodeException>().Which.Reason.Should().Contain("overruns");
        var big = () => Value("06 06 2b 06 90 ff ff ff 7f".Replace("06 06", "06 07"));
        big.Should().Throw<SnmpDecodeException>().Which.Reason.Should().Contain("2^32");
    }

    [Fact]
    public void Header_fields_stay_strict()
    {
        var wideRequestId = () => SnmpCodec.Decode(Message("020501000000 05".Replace(" ", ""), "06082b06010201010500", "0500"));
        wideRequestId.Should().Throw<SnmpDecodeException>().Which.Reason.Should().Contain("32-bit");
        var paddedEnterprise = () => new BerReader(Convert.FromHexString("06042b800601")).ReadOid();
        paddedEnterprise.Should().Throw<SnmpDecodeException>().Which.Reason.Should().Contain("0x80");
    }
}
