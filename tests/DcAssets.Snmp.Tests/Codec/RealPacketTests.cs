using DcAssets.Snmp.Usm;

namespace DcAssets.Snmp.Tests.Codec;

/// <summary>Packets captured from net-snmp 5.9.3 (snmpd, snmpbulkget, snmptrap with -d) against ops/snmp-sim.</summary>
public sealed class RealPacketTests
{
    internal const string BulkResponse = "30818602010104067075626C6963A279020454EF6E7A020100020100306B300F060A2B0601020121010601004201003010060A2B060102012101090100020200E63010060A2B060102012101090200020201F43010060A2B060102012101090300020200E63010060A2B060102012101090400020201F43010060A2B06010201210109050002020BB8";
    internal const string BulkRequest = "302902010104067075626C6963A51C02045C7736E6020100020106300E300C06082B060102012101060500";
    internal const string V1Trap = "303A02010004067075626C6963A42D06072B06010201210240047F000001020106020101430301E2403011300F060A2B06010201210102030002010C";
    internal const string V3AuthPrivResponse = "308192020103301102043F5F7214020300FFE3040103020103043E303C040D80001F880473696D3432313339020101020202CB040C617574685072697655736572040C7CB144D2BD8250EF09FB4CE4040860856F39596F8023043A2076B42646D561431E9F9D6BAE7089A6B2BD8CC356FC8223CF0A6FF016149920B02C0311DDB9743D0C127CFB44B186B312E7A205A2AEF56A5569";

    [Theory]
    [InlineData(BulkResponse)]
    [InlineData(BulkRequest)]
    [InlineData(V1Trap)]
    public void Community_messages_decode_and_re_encode_to_the_same_bytes(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        SnmpCodec.Encode(SnmpCodec.Decode(bytes)).Should().Equal(bytes);
    }

    [Fact]
    public void Bulk_response_of_snmpd_holds_the_rows_net_snmp_printed()
    {
        var pdu = SnmpCodec.Decode(Convert.FromHexString(BulkResponse)).Pdu!;
        pdu.VarBinds.Select(SnmpFormatter.NetSnmpLine).Should().Equal(
            ".1.3.6.1.2.1.33.1.6.1.0 = Gauge32: 0",
            ".1.3.6.1.2.1.33.1.9.1.0 = INTEGER: 230",
            ".1.3.6.1.2.1.33.1.9.2.0 = INTEGER: 500",
            ".1.3.6.1.2.1.33.1.9.3.0 = INTEGER: 230",
            ".1.3.6.1.2.1.33.1.9.4.0 = INTEGER: 500",
            ".1.3.6.1.2.1.33.1.9.5.0 = INTEGER: 3000");
        var request = SnmpCodec.Decode(Convert.FromHexString(BulkRequest)).Pdu!;
        (request.Type, request.NonRepeaters, request.MaxRepetitions).Should().Be((PduType.GetBulkRequest, 0, 6));
    }

    [Fact]
    public void V1_trap_of_snmptrap_carries_enterprise_and_specific()
    {
        var pdu = SnmpCodec.Decode(Convert.FromHexString(V1Trap)).Pdu!;
        (pdu.Enterprise.ToString(), pdu.GenericTrap, pdu.SpecificTrap, pdu.TimeStamp).Should().Be(("1.3.6.1.2.1.33.2", 6, 1, 123456u));
        pdu.AgentAddress.Should().Equal(127, 0, 0, 1);
    }

    [Fact]
    public void V3_response_of_snmpd_verifies_and_decrypts_with_keys_localized_to_its_engine()
    {
        var bytes = Convert.FromHexString(V3AuthPrivResponse);
        var msg = SnmpCodec.Decode(bytes);
        msg.Flags.Should().Be(V3Flags.Auth | V3Flags.Priv);
        msg.Usm.UserName.Should().Be("authPrivUser");
        msg.Pdu.Should().BeNull("the scoped PDU is still encrypted");
        var keys = UsmCrypto.LocalizeUser(new UsmUser("authPrivUser", AuthProtocol.Sha1, "authpass123", PrivProtocol.Aes128, "privpass123"), msg.Usm.EngineId);
        UsmProcessor.Verify(bytes, msg, keys);
        msg.Pdu!.Type.Should().Be(PduType.Response);
        msg.Pdu.VarBinds.Single().Value.ToString().Should().Be("sim-agent");

        var wrong = UsmCrypto.LocalizeUser(new UsmUser("authPrivUser", AuthProtocol.Sha1, "authpass124", PrivProtocol.Aes128, "privpass123"), msg.Usm.EngineId);
        var act = () => UsmProcessor.Verify(bytes, SnmpCodec.Decode(bytes), wrong);
        act.Should().Throw<SnmpSecurityException>().Which.Error.Should().Be(SnmpSecurityError.WrongDigest);
    }
}
