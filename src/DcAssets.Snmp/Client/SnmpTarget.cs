using System.Net;
using DcAssets.Snmp.Usm;

namespace DcAssets.Snmp;

/// <summary>Where and how to reach an agent.</summary>
public sealed record SnmpTarget(IPEndPoint EndPoint, SnmpVersion Version = SnmpVersion.V2c, string Community = "public",
    UsmUser? User = null)
{
    /// <summary>Time to wait for each attempt.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Retransmissions after the first attempt.</summary>
    public int Retries { get; init; } = 2;

    public string ContextName { get; init; } = "";

    public override string ToString() => $"{EndPoint} ({Version})";

    /// <summary>
    /// Parses net-snmp style agent specs: <c>host</c>, <c>host:port</c>, <c>udp:host:port</c>, <c>[v6]:port</c>.
    /// </summary>
    public static IPEndPoint ParseEndPoint(string spec, int defaultPort = 161)
    {
        var s = spec.StartsWith("udp:", StringComparison.OrdinalIgnoreCase) ? spec[4..] : spec;
        if (IPEndPoint.TryParse(s, out var ep))
        {
            if (ep.Port == 0 && !s.EndsWith(":0", StringComparison.Ordinal)) ep.Port = defaultPort;
            return ep;
        }
        var port = defaultPort;
        var host = s;
        var colon = s.LastIndexOf(':');
        if (colon > 0 && int.TryParse(s[(colon + 1)..], out var p)) { host = s[..colon]; port = p; }
        var addr = Dns.GetHostAddresses(host)
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                   ?? Dns.GetHostAddresses(host).First();
        return new IPEndPoint(addr, port);
    }
}
