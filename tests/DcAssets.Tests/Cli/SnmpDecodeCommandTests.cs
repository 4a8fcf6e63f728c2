using System.Text.Json;
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

    [Fact]
    public void Malformed_hex_exits_2_and_prints_nothing_on_stdout()
    {
        var (exit, output, _) = CliProcess.Run("", "snmp", "decode", "3026020101");
        exit.Should().Be(2);
        output.Should().BeEmpty();
    }
}
