using System.Net;
using DcAssets.Snmp.Tests.Codec;
using DcAssets.Snmp.Usm;

namespace DcAssets.Snmp.Tests.Traps;

/// <summary>The listener's per-datagram handling, fed mutated real packets: only the typed errors it counts may escape.</summary>
public sealed class ListenerFuzzTests
{
    [Fact]
    public async Task Mutated_notifications_fail_only_with_the_errors_the_listener_counts()
    {
        await using var listener = new SnmpTrapListener(new IPEndPoint(IPAddress.Loopback, 0), new SnmpTrapListenerOptions
        {
            Users = [new UsmUser("authPrivUser", AuthProtocol.Sha1, "authpass123", PrivProtocol.Aes128, "privpass123")],
        });
        var seeds = new[] { RealPacketTests.V1Trap, RealPacketTests.BulkResponse, RealPacketTests.V3AuthPrivResponse }.Select(Convert.FromHexString).ToArray();
        var rng = new Random(4242);
        // Answers to informs go to this unbound-but-valid address; nothing listens there.
        var from = new IPEndPoint(IPAddress.Loopback, 9);
        var unexpected = new List<string>();
        for (var i = 0; i < 20_000; i++)
        {
            var p = (byte[])seeds[i % seeds.Length].Clone();
            for (var k = rng.Next(1, 4); k > 0; k--) p[rng.Next(p.Length)] = (byte)rng.Next(256);
            try { await listener.HandleAsync(p, from); }
            catch (SnmpDecodeException) { }
            catch (SnmpSecurityException) { }
            catch (Exception e) { unexpected.Add($"{e.GetType().Name}: {e.Message} in {Convert.ToHexString(p)}"); }
        }
        unexpected.Should().BeEmpty();
    }
}
