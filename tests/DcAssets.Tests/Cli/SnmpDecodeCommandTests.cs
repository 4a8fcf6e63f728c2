using System.Text.Json;
using System.Threading.Tasks;
using DcAssets.Snmp;

namespace DcAssets.Tests.Cli;

/// <summary>`dcassets snmp decode` as an operator runs it: a process, hex in, one JSON object out.</summary>
public sealed class SnmpDecodeCommandTests
{
    [Fact]
    public void A_v2c_response_decodes_to_the_documented_json_fields()
    {
        var packet = SnmpCodec.Encode(new SnmpMessage
        {
            Version = SnmpVersion.V2c,
            Community = "public"u8.ToArray(),
            Pdu = new SnmpPdu
            {
                Type = PduType.Response, RequestId = -7,
                VarBinds =
                [
                    new VarBind("1.3.6.1.2.1.33.1.2.4.0", SnmpValue.Integer32(-2147483648)),
                    new VarBind("1.3.6.1.2.1.1.5.0", SnmpValue.OctetString("机房 UPS-1")),
                    new VarBind("1.3.6.1.2.1.1.3.0", SnmpValue.TimeTicks(4294967295)),
                    new VarBind("1.3.6.1.2.1.31.1.1.1.6.1", SnmpValue.Counter64(18446744073709551615)),
                ],
            },
        });
        var (exit, output, err) = CliProcess.Run("", "snmp", "decode", Convert.ToHexString(packet));
        exit.Should().Be(0, err);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("version").GetInt32().Should().Be(1);
        root.GetProperty("community").GetString().Should().Be("public");
        root.GetProperty("pdu_type").GetString().Should().Be("Response");
        root.GetProperty("request_id").GetInt64().Should().Be(-7);
        var vbs = root.GetProperty("varbinds").EnumerateArray().ToList();
        vbs.Select(v => v.GetProperty("type").GetString()).Should().Equal("Integer32", "OctetString", "TimeTicks", "Counter64");
        vbs[0].GetProperty("value").GetInt64().Should().Be(-2147483648);
        vbs[1].GetProperty("value_text").GetString().Should().Be("机房 UPS-1");
        vbs[3].GetProperty("value").GetRawText().Should().Be("18446744073709551615", "integers are exact JSON integers");
    }

    private static string V1Trap() => Convert.ToHexString(SnmpCodec.Encode(new SnmpMessage
    {
        Version = SnmpVersion.V1, Community = "public"u8.ToArray(),
        Pdu = new SnmpPdu
        {
            Type = PduType.TrapV1, Enterprise = "1.3.6.1.2.1.33.2", AgentAddress = [10, 0, 0, 7], GenericTrap = 6, SpecificTrap = 1, TimeStamp = 99,
            VarBinds = [new VarBind("1.3.6.1.2.1.33.1.2.3.0", SnmpValue.Integer32(12))],
        },
    }));

    [Fact]
    public async Task Decode_dash_prints_one_object_per_line_and_an_error_object_for_each_bad_line()
    {
        var good = V1Trap();
        var input = string.Join('\n', good, good[..40], "30 zz", "", "0x" + good.ToLowerInvariant(), "abc") + "\n";
        var r = await SnmpCliProcess.DcAssetsWithInputAsync(input, "snmp", "decode", "-");
        r.Exit.Should().Be(0, r.Err);
        r.Err.Should().BeEmpty();
        var objects = r.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        objects.Should().HaveCount(5, "one per non-empty line, in order");
        objects[0].GetProperty("pdu_type").GetString().Should().Be("Trap-v1");
        objects[0].GetProperty("agent_addr").GetString().Should().Be("10.0.0.7");
        objects[1].GetProperty("error").GetString().Should().Contain("offset");
        objects[1].GetProperty("offset").GetInt32().Should().BeInRange(1, 20, "a truncated message fails inside its first 20 octets");
        objects[2].GetProperty("error").GetString().Should().Contain("offset 1");
        objects[2].GetProperty("offset").GetInt32().Should().Be(1);
        objects[3].GetProperty("specific_trap").GetInt32().Should().Be(1);
        objects[4].GetProperty("offset").GetInt32().Should().Be(1, "three hex digits leave the octet at offset 1 incomplete");
        objects.Where(o => o.TryGetProperty("error", out _)).Should().HaveCount(3);
    }

    [Theory]
    [InlineData("-l", "authPriv", "-A", "authpass123")]            // no -X: net-snmp refuses it too
    [InlineData("-l", "authNoPriv")]                               // no -A
    [InlineData("-l", "superPriv", "-A", "authpass123")]
    [InlineData("-a", "MD6", "-A", "authpass123")]
    [InlineData("-x", "3DES", "-A", "authpass123", "-X", "privpass123")]
    [InlineData("-A", "short")]
    public async Task Bad_credential_options_exit_2_with_one_line_in_either_mode(params string[] options)
    {
        var once = await SnmpCliProcess.DcAssetsAsync(["snmp", "decode", V1Trap(), "-u", "someone", .. options]);
        (once.Exit, once.Out).Should().Be((2, ""));
        once.Err.Trim().Split('\n').Should().ContainSingle();
        var stream = await SnmpCliProcess.DcAssetsWithInputAsync(V1Trap() + "\n", ["snmp", "decode", "-", .. options]);
        (stream.Exit, stream.Out).Should().Be((2, ""));
        stream.Err.Trim().Should().Be(once.Err.Trim());
    }

    [Fact]
    public void Malformed_hex_exits_2_and_prints_nothing_on_stdout()
    {
        var (exit, output, _) = CliProcess.Run("", "snmp", "decode", "3026020101");
        exit.Should().Be(2);
        output.Should().BeEmpty();
    }
}
