using System.CommandLine;
using System.Text;
using System.Text.Json;
using DcAssets.Snmp;
using DcAssets.Snmp.Usm;

namespace DcAssets.Cli.Snmp;

/// <summary><c>dcassets snmp decode HEX|-</c>: one JSON object per message.</summary>
internal static class SnmpDecodeCommand
{
    public static Command Build()
    {
        var o = new SnmpOptions();
        var hex = new Argument<string>("HEX") { Description = "the message in hex, or - to read one message per line " +
            "from standard input" };
        var cmd = new Command("decode",
            "decode an SNMP message to JSON (v3: verify and decrypt with -u/-l/-a/-A/-x/-X)") { hex };
        foreach (var opt in o.Credentials) cmd.Options.Add(opt);
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            // Bad credential options are the caller's mistake, not the packet's: refuse them before any input.
            try { o.UserFrom(pr, "check"); }
            catch (ArgumentException e) { Console.Error.WriteLine(e.Message); return 2; }
            // Without -u the message's own user name is tried; an engine-discovery probe and the Report
            // answering it carry an empty one, which has no credentials rather than being a bad option.
            UsmUser? Creds(string userName) =>
                pr.GetValue(o.User) is null && userName.Length is 0 or > 32 ? null : o.UserFrom(pr, userName);
            var input = pr.GetValue(hex)!;
            if (input != "-")
            {
                try
                {
                    Console.WriteLine(SnmpJson.Describe(ParseHex(input), Creds));
                    return 0;
                }
                catch (SnmpDecodeException e) { Console.Error.WriteLine(e.Message); return 2; }
                catch (HexException e) { Console.Error.WriteLine(e.Message); return 2; }
            }
            string? line;
            while ((line = await Console.In.ReadLineAsync(ct)) is not null)
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                try { Console.WriteLine(SnmpJson.Describe(ParseHex(line), Creds)); }
                catch (SnmpDecodeException e) { Console.WriteLine(ErrorJson(e.Message, e.Offset)); }
                catch (HexException e) { Console.WriteLine(ErrorJson(e.Message, e.Offset)); }
            }
            return 0;
        });
        return cmd;
    }

    /// <summary>Input that is not hex; <see cref="Offset"/> is the octet where it went wrong.</summary>
    private sealed class HexException(int offset, string message) : FormatException(message)
    {
        public int Offset { get; } = offset;
    }

    private static byte[] ParseHex(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) if (!char.IsWhiteSpace(c) && c != ':') sb.Append(c);
        var s = sb.ToString();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        for (var i = 0; i < s.Length; i++)
            if (!char.IsAsciiHexDigit(s[i]))
                throw new HexException(i / 2, $"not a hex digit at offset {i / 2} (character {i})");
        if (s.Length == 0) throw new HexException(0, "no hex digits: the message at offset 0 is missing");
        if (s.Length % 2 != 0)
            throw new HexException(s.Length / 2,
            $"odd number of hex digits: the last octet at offset {s.Length / 2} is incomplete");
        return Convert.FromHexString(s);
    }

    private static string ErrorJson(string message, int offset)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteNumber("offset", offset);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
