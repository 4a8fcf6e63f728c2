using System.Security.Cryptography;
using DcAssets.Snmp.Usm;

namespace DcAssets.Snmp.Tests.Usm;

public sealed class UsmCryptoTests
{
    private static readonly byte[] RfcEngine = Convert.FromHexString("000000000000000000000002");
    private static readonly byte[] SimEngine = Convert.FromHexString("80001f880473696d6167656e743031");

    [Theory]
    [InlineData(AuthProtocol.Md5, "9faf3283884e92834ebc9847d8edd963", "526f5eed9fcce26f8964c2930787d82b")]
    [InlineData(AuthProtocol.Sha1, "9fb5cc0381497b3793528939ff788d5d79145211", "6695febc9288e36282235fc7151f128497b38f3f")]
    [InlineData(AuthProtocol.Sha256, "ab51014d1e077f6017df2b12bee5f5aa72993177e9bb569c4dff5a4ca0b4afac", "8982e0e549e866db361a6b625d84cccc11162d453ee8ce3a6445c2d6776f0f8b")]
    public void RFC_3414_A3_password_to_key_and_localization(AuthProtocol p, string ku, string kul)
    {
        var k = UsmCrypto.PasswordToKey(p, "maplesyrup");
        Convert.ToHexStringLower(k).Should().Be(ku);
        Convert.ToHexStringLower(UsmCrypto.Localize(p, k, RfcEngine)).Should().Be(kul);
    }

    [Theory]
    [InlineData(AuthProtocol.Sha224, "0bd8827c6e29f8065e08e09237f177e410f69b90e1782be682075674")]
    [InlineData(AuthProtocol.Sha384, "3b298f16164a11184279d5432bf169e2d2a48307de02b3d3f7e2b4f36eb6f0455a53689a3937eea07319a633d2ccba78")]
    [InlineData(AuthProtocol.Sha512, "22a5a36cedfcc085807a128d7bc6c2382167ad6c0dbc5fdff856740f3d84c099ad1ea87a8db096714d9788bd544047c9021e4229ce27e4c0a69250adfcffbb0b")]
    public void SHA2_localized_keys_match_what_net_snmp_stores(AuthProtocol p, string kul)
    {
        var k = UsmCrypto.PasswordToKey(p, "maplesyrup");
        Convert.ToHexStringLower(UsmCrypto.Localize(p, k, RfcEngine)).Should().Be(kul);
    }

    [Fact]
    public void Keys_of_the_simulator_users_match_net_snmp()
    {
        var sha = UsmCrypto.LocalizeUser(new UsmUser("u", AuthProtocol.Sha1, "authpass123", PrivProtocol.Aes128, "privpass123"), SimEngine);
        Convert.ToHexStringLower(sha.AuthKey).Should().Be("6479237a8e6a4befa9218e8bcb106bdb059da5c3");
        Convert.ToHexStringLower(sha.PrivKey[..16]).Should().Be("d0919f4be292bc5fce1f1184a4800486");
        var sha256 = UsmCrypto.LocalizeUser(new UsmUser("u", AuthProtocol.Sha256, "authpass123", PrivProtocol.Aes128, "privpass123"), SimEngine);
        Convert.ToHexStringLower(sha256.AuthKey).Should().Be("34391ec6ba40997c49babcc17fd6317c749436289a435e65f30a662a7287bf83");
        Convert.ToHexStringLower(sha256.PrivKey[..16]).Should().Be("d5d048ee6ec487afa919890dd2c1114c");
    }

    [Fact]
    public void Our_SHA224_matches_the_FIPS_test_vectors()
    {
        Convert.ToHexStringLower(Sha224.Hash("abc"u8)).Should().Be("23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
        Convert.ToHexStringLower(Sha224.Hash(""u8)).Should().Be("d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f");
        // RFC 4231 test case 2 (HMAC-SHA-224, key "Jefe").
        Convert.ToHexStringLower(Sha224.Hmac("Jefe"u8.ToArray(), "what do ya want for nothing?"u8))
            .Should().Be("a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44");
    }

    [Theory]
    [InlineData(AuthProtocol.Md5, 12)]
    [InlineData(AuthProtocol.Sha1, 12)]
    [InlineData(AuthProtocol.Sha224, 16)]
    [InlineData(AuthProtocol.Sha256, 24)]
    [InlineData(AuthProtocol.Sha384, 32)]
    [InlineData(AuthProtocol.Sha512, 48)]
    public void MAC_lengths_follow_RFC_7860(AuthProtocol p, int n) => UsmCrypto.MacLength(p).Should().Be(n);

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(80)]
    [InlineData(82)]
    [InlineData(101)]
    public void AES_CFB_handles_any_length_and_agrees_with_dotnet_on_whole_blocks(int length)
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = UsmPrivacy.AesIv(3, 12345, RandomNumberGenerator.GetBytes(8));
        var plain = RandomNumberGenerator.GetBytes(length);
        var cipher = UsmPrivacy.AesCfb(key, iv, plain, encrypt: true);
        cipher.Should().HaveCount(length);
        UsmPrivacy.AesCfb(key, iv, cipher, encrypt: false).Should().Equal(plain);

        using var aes = Aes.Create();
        aes.Key = key;
        var padded = new byte[(length + 15) / 16 * 16];
        plain.CopyTo(padded, 0);
        aes.EncryptCfb(padded, iv, PaddingMode.None, 128).AsSpan(0, length).ToArray().Should().Equal(cipher);
    }

    [Fact]
    public void DES_CBC_round_trips_with_the_salted_IV()
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var salt = RandomNumberGenerator.GetBytes(8);
        var plain = RandomNumberGenerator.GetBytes(45);
        var cipher = UsmPrivacy.DesEncrypt(key, salt, plain);
        cipher.Length.Should().Be(48);
        UsmPrivacy.DesDecrypt(key, salt, cipher)[..45].Should().Equal(plain);
    }
}
