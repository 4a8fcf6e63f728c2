using System.Text.Json;
using DcAssets.Snmp.Tests.Infrastructure;
using static DcAssets.Tests.Cli.SnmpCliProcess;

namespace DcAssets.Tests.Cli;

/// <summary>
/// `dcassets snmp decode` of a real SNMPv3 authPriv response: captured from snmpd with `snmpget -d`,
/// then verified and decrypted (or not) with the -u/-l/-a/-A/-x/-X options.
/// </summary>
public sealed class SnmpDecodeV3CommandTests(SnmpCliSimulator sim) : IClassFixture<SnmpCliSimulator>
{
    private static readonly string[] Right = ["-u", "authPrivUser", "-l", "authPriv", "-a", "SHA", "-A", "authpass123", "-x", "AES", "-X", "privpass123"];

    /// <summary>
    /// The packets snmpget's -d dump shows, in wire order, as hex ("Sending 64 bytes …" or "Received …",
    /// then rows "0000: 30 81 92 02  01 03 ...   0....."): the engine discovery's probe and Report first.
    /// </summary>
    private async Task<List<NetSnmpDump.Packet>> CapturedPacketsAsync()
    {
        var r = await NetSnmpAsync("snmpget", ["-d", "-v3", .. Right, "-On", sim.Agent, "1.3.6.1.2.1.1.5.0"]);
        r.Exit.Should().Be(0, r.Err);
        return NetSnmpDump.Parse(r.Out + r.Err);
    }

    private async Task<string> CapturedResponseAsync() => (await CapturedPacketsAsync()).Last(p => !p.Sent).Hex;

    private static JsonElement Json(Result r)
    {
        r.Exit.Should().Be(0, r.Err);
        return JsonDocument.Parse(r.Out).RootElement;
    }

    [Fact]
    public async Task An_engine_discovery_probe_decodes_with_its_empty_user_and_engine_id()
    {
        var probe = (await CapturedPacketsAsync()).First(p => p.Sent).Hex;
        var j = Json(await DcAssetsAsync("snmp", "decode", probe));
        j.GetProperty("usm").GetProperty("user_name").GetString().Should().BeEmpty();
        j.GetProperty("usm").GetProperty("authoritative_engine_id").GetString().Should().BeEmpty();
        j.GetProperty("auth").GetString().Should().Be("none");
        j.GetProperty("pdu_type").GetString().Should().Be("GetRequest");
        j.GetProperty("varbinds").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task The_report_answering_discovery_decodes_with_the_agents_engine_id_and_its_counter()
    {
        var report = (await CapturedPacketsAsync()).First(p => !p.Sent).Hex;
        var j = Json(await DcAssetsAsync("snmp", "decode", report));
        j.GetProperty("usm").GetProperty("user_name").GetString().Should().BeEmpty();
        j.GetProperty("usm").GetProperty("authoritative_engine_id").GetString().Should().NotBeEmpty();
        j.GetProperty("pdu_type").GetString().Should().Be("Report");
        j.GetProperty("varbinds")[0].GetProperty("oid").GetString().Should().Be("1.3.6.1.6.3.15.1.1.4.0", "usmStatsUnknownEngineIDs");
    }

    [Fact]
    public async Task A_discovery_read_from_standard_input_gives_one_object_per_message_and_no_error()
    {
        var packets = await CapturedPacketsAsync();
        var r = await DcAssetsWithInputAsync($"{packets[0].Hex}\n{packets[1].Hex}\n", "snmp", "decode", "-");
        r.Exit.Should().Be(0, r.Err);
        r.Lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("pdu_type").GetString())
            .Should().Equal("GetRequest", "Report");
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
