using System.Text.Json;
using static DcAssets.Tests.Cli.SnmpCliProcess;

namespace DcAssets.Tests.Cli;

/// <summary>
/// `dcassets snmp decode` of a real SNMPv3 authPriv response: captured from snmpd with `snmpget -d`,
/// then verified and decrypted (or not) with the -u/-l/-a/-A/-x/-X options.
/// </summary>
public sealed class SnmpDecodeV3CommandTests(SnmpCliSimulator sim) : IClassFixture<SnmpCliSimulator>
{
    private static readonly string[] Right = ["-u", "authPrivUser", "-l", "authPriv", "-a", "SHA", "-A", "authpass123", "-x", "AES", "-X", "privpass123"];

    /// <summary>The hex of the packet snmpget's -d dump shows as received ("0000: 30 81 92 02  01 03 ...   0.....").</summary>
    private async Task<string> CapturedResponseAsync()
    {
        var r = await NetSnmpAsync("snmpget", ["-d", "-v3", .. Right, "-On", sim.Agent, "1.3.6.1.2.1.1.5.0"]);
        r.Exit.Should().Be(0, r.Err);
        var lines = (r.Out + r.Err).Split('\n');
        var at = Array.FindLastIndex(lines, l => l.StartsWith("Received ", StringComparison.Ordinal));
        at.Should().BeGreaterThan(0, "snmpget -d shows the received packet");
        var hex = lines.Skip(at + 1).TakeWhile(l => l.Length > 6 && char.IsAsciiDigit(l[0]) && l[4] == ':')
            .Select(l => l[6..].Split("    ")[0].Replace(" ", ""));
        return string.Concat(hex);
    }

    private static JsonElement Json(Result r)
    {
        r.Exit.Should().Be(0, r.Err);
        return JsonDocument.Parse(r.Out).RootElement;
    }

    [Fact]
    public async Task The_right_credentials_verify_the_MAC_and_decrypt_the_PDU()
    {
        var packet = await CapturedResponseAsync();
        var j = Json(await DcAssetsAsync(["snmp", "decode", packet, .. Right]));
        j.GetProperty("version").GetInt32().Should().Be(3);
        j.GetProperty("msg_flags").GetString().Should().Be("0x03");
        j.GetProperty("usm").GetProperty("user_name").GetString().Should().Be("authPrivUser");
        j.GetProperty("auth").GetString().Should().Be("ok");
        j.GetProperty("pdu_type").GetString().Should().Be("Response");
        var vb = j.GetProperty("varbinds")[0];
        (vb.GetProperty("oid").GetString(), vb.GetProperty("value_text").GetString()).Should().Be(("1.3.6.1.2.1.1.5.0", "sim-agent"));
    }

    [Fact]
    public async Task A_wrong_auth_password_fails_and_no_credentials_leave_it_unverified_and_encrypted()
    {
        var packet = await CapturedResponseAsync();
        var wrong = Json(await DcAssetsAsync(["snmp", "decode", packet, .. Right[..7], "wrongpass99", .. Right[8..11], "wrongpriv99"]));
        wrong.GetProperty("auth").GetString().Should().Be("failed");
        wrong.GetProperty("decrypt_error").GetString().Should().Contain("DecryptionError");
        wrong.TryGetProperty("varbinds", out _).Should().BeFalse();

        // Only the auth pass phrase wrong: the MAC fails, and the PDU, decrypted with the right privacy
        // key, is still shown for diagnosis under "auth": "failed".
        var authOnlyWrong = Json(await DcAssetsAsync(["snmp", "decode", packet, .. Right[..7], "wrongpass99", .. Right[8..]]));
        authOnlyWrong.GetProperty("auth").GetString().Should().Be("failed");

        var bare = Json(await DcAssetsAsync("snmp", "decode", packet));
        bare.GetProperty("auth").GetString().Should().Be("unverified", "the message is authenticated; without keys nobody checked it");
        bare.GetProperty("encrypted_pdu").GetString().Should().NotBeEmpty();
        bare.TryGetProperty("pdu_type", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Decode_dash_reads_v3_lines_with_the_same_credentials()
    {
        var packet = await CapturedResponseAsync();
        var r = await DcAssetsWithInputAsync(packet + "\n" + packet[..30] + "\n" + packet + "\n", ["snmp", "decode", "-", .. Right]);
        r.Exit.Should().Be(0, r.Err);
        var objects = r.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        objects.Should().HaveCount(3);
        objects[0].GetProperty("auth").GetString().Should().Be("ok");
        objects[1].GetProperty("offset").GetInt32().Should().BeGreaterThan(0);
        objects[2].GetProperty("varbinds")[0].GetProperty("value_text").GetString().Should().Be("sim-agent");
    }
}
