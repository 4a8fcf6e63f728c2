using DcAssets.Snmp.Usm;

namespace DcAssets.Snmp.Tests.Usm;

public sealed class UsmMessageTests
{
    private static readonly byte[] Engine = Convert.FromHexString("80001f880473696d6167656e743031");

    private static SnmpMessage Message(UsmUser u) => new()
    {
        Version = SnmpVersion.V3, MessageId = 975763197, Flags = u.Level switch
        {
            SecurityLevel.AuthPriv => V3Flags.Auth | V3Flags.Priv | V3Flags.Reportable,
            SecurityLevel.AuthNoPriv => V3Flags.Auth | V3Flags.Reportable,
            _ => V3Flags.Reportable,
        },
        Usm = new UsmParameters { EngineId = Engine, EngineBoots = 1, EngineTime = 97, UserName = u.Name },
        ContextEngineId = Engine,
        Pdu = new SnmpPdu { Type = PduType.GetRequest, RequestId = 975763197, VarBinds = [new VarBind(Oid.Parse("1.3.6.1.2.1.1.5.0"))] },
    };

    public static TheoryData<AuthProtocol, PrivProtocol> Combinations() => new()
    {
        { AuthProtocol.None, PrivProtocol.None }, { AuthProtocol.Md5, PrivProtocol.None }, { AuthProtocol.Md5, PrivProtocol.Des },
        { AuthProtocol.Sha1, PrivProtocol.Aes128 }, { AuthProtocol.Sha224, PrivProtocol.Aes128 }, { AuthProtocol.Sha256, PrivProtocol.Aes128 },
        { AuthProtocol.Sha384, PrivProtocol.Aes128 }, { AuthProtocol.Sha512, PrivProtocol.Des },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Encode_then_verify_and_decrypt_gives_the_PDU_back(AuthProtocol a, PrivProtocol p)
    {
        var user = new UsmUser("sha256User", a, a == AuthProtocol.None ? null : "authpass123", p, p == PrivProtocol.None ? null : "privpass123");
        var keys = UsmCrypto.LocalizeUser(user, Engine);
        var bytes = UsmProcessor.Encode(Message(user), keys);
        var back = SnmpCodec.Decode(bytes);
        back.Usm.UserName.Should().Be("sha256User");
        back.Usm.AuthParameters.Should().HaveCount(UsmCrypto.MacLength(a));
        (back.EncryptedPdu is not null).Should().Be(p != PrivProtocol.None);
        UsmProcessor.Verify(bytes, back, keys);
        back.Pdu!.VarBinds.Single().Oid.ToString().Should().Be("1.3.6.1.2.1.1.5.0");
        back.ContextEngineId.Should().Equal(Engine);
    }

    [Fact]
    public void A_flipped_bit_anywhere_fails_the_digest()
    {
        var user = new UsmUser("u", AuthProtocol.Sha256, "authpass123", PrivProtocol.Aes128, "privpass123");
        var keys = UsmCrypto.LocalizeUser(user, Engine);
        var bytes = UsmProcessor.Encode(Message(user), keys);
        bytes[^3] ^= 0x01;
        var msg = SnmpCodec.Decode(bytes);
        var act = () => UsmProcessor.Verify(bytes, msg, keys);
        act.Should().Throw<SnmpSecurityException>().Which.Error.Should().Be(SnmpSecurityError.WrongDigest);
    }

    [Fact]
    public void A_wrong_privacy_key_is_a_decryption_error()
    {
        var user = new UsmUser("u", AuthProtocol.Sha1, "authpass123", PrivProtocol.Aes128, "privpass123");
        var keys = UsmCrypto.LocalizeUser(user, Engine);
        var bytes = UsmProcessor.Encode(Message(user), keys);
        var wrong = UsmCrypto.LocalizeUser(user with { PrivPassword = "otherpass99" }, Engine);
        var act = () => UsmProcessor.Verify(bytes, SnmpCodec.Decode(bytes), wrong);
        act.Should().Throw<SnmpSecurityException>().Which.Error.Should().Be(SnmpSecurityError.DecryptionError);
    }

    [Fact]
    public void Reports_are_classified_by_their_usmStats_varbind()
    {
        SnmpPdu Report(string oid) => new() { Type = PduType.Report, VarBinds = [new VarBind(Oid.Parse(oid), SnmpValue.Counter32(1))] };
        UsmProcessor.ClassifyReport(Report("1.3.6.1.6.3.15.1.1.2.0")).Should().Be(SnmpSecurityError.NotInTimeWindow);
        UsmProcessor.ClassifyReport(Report("1.3.6.1.6.3.15.1.1.3.0")).Should().Be(SnmpSecurityError.UnknownUserName);
        UsmProcessor.ClassifyReport(Report("1.3.6.1.6.3.15.1.1.4.0")).Should().Be(SnmpSecurityError.UnknownEngineId);
        UsmProcessor.ClassifyReport(Report("1.3.6.1.6.3.15.1.1.5.0")).Should().Be(SnmpSecurityError.WrongDigest);
        UsmProcessor.ClassifyReport(Report("1.3.6.1.6.3.11.2.1.1.0")).Should().Be(SnmpSecurityError.UnknownReport);
    }
}
