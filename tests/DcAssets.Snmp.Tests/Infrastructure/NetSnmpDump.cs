namespace DcAssets.Snmp.Tests.Infrastructure;

/// <summary>
/// The packets net-snmp's tools print with -d ("Sending 64 bytes to …" / "Received 107 byte packet from …",
/// then "0000: 30 3E 02 01 …" rows), in the order they crossed the wire. Shared with DcAssets.Tests (linked).
/// </summary>
public static class NetSnmpDump
{
    public sealed record Packet(bool Sent, byte[] Bytes)
    {
        public string Hex => Convert.ToHexString(Bytes);
    }

    public static List<Packet> Parse(string output)
    {
        var packets = new List<Packet>();
        var lines = output.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var sent = lines[i].StartsWith("Sending ", StringComparison.Ordinal);
            if (!sent && !lines[i].StartsWith("Received ", StringComparison.Ordinal)) continue;
            var hex = lines.Skip(i + 1).TakeWhile(l => l.Length > 6 && char.IsAsciiDigit(l[0]) && l[4] == ':')
                .Select(l => l[6..].Split("    ")[0].Replace(" ", ""));
            packets.Add(new Packet(sent, Convert.FromHexString(string.Concat(hex))));
        }
        return packets;
    }
}
