using System.Diagnostics;
using DcAssets.Snmp.Usm;

namespace DcAssets.Snmp.Tests.Codec;

/// <summary>
/// Mutates real packets (fixed seed, so a failure reproduces) and checks the decoder only ever
/// returns a message or throws <see cref="SnmpDecodeException"/>, quickly and with bounded allocation.
/// </summary>
public sealed class FuzzTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Mutations = 100_000;

    private static List<byte[]> Corpus()
    {
        var engine = Convert.FromHexString("80001f880473696d6167656e743031");
        var vbs = new List<VarBind>
        {
            new(Oid.Parse("1.3.6.1.2.1.1.3.0"), SnmpValue.TimeTicks(123456)),
            new(Oid.Parse("1.3.6.1.6.3.1.1.4.1.0"), SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.2.1.33.2.1"))),
            new(Oid.Parse("1.3.6.1.2.1.33.1.2.3.0"), SnmpValue.Integer32(-40)),
            new(Oid.Parse("1.3.6.1.2.1.1.5.0"), SnmpValue.OctetString("sim-agent")),
            new(Oid.Parse("1.3.6.1.2.1.4.20.1.1.10.0.0.1"), SnmpValue.IpAddress(System.Net.IPAddress.Parse("10.0.0.1"))),
            new(Oid.Parse("1.3.6.1.2.1.31.1.1.1.10.1"), SnmpValue.Counter64(ulong.MaxValue)),
            new(Oid.Parse("1.3.6.1.2.1.2.2.1.10.1"), SnmpValue.Counter32(4000000000)),
            new(Oid.Parse("1.3.6.1.4.1.2021.10.1.6.1"), SnmpValue.Opaque(Convert.FromHexString("9f780442f60000"))),
            new(Oid.Parse("1.3.6.1.2.1.33.1.99.7.0"), SnmpValue.EndOfMibView),
            new(Oid.Parse("1.3.6.1.2.1.33.1.99.8.0"), SnmpValue.NoSuchInstance),
        };
        var list = new List<byte[]>
        {
            SnmpCodec.Encode(new SnmpMessage { Version = SnmpVersion.V2c, Community = "public"u8.ToArray(), Pdu = new SnmpPdu { Type = PduType.Response, RequestId = -5, VarBinds = vbs } }),
            SnmpCodec.Encode(new SnmpMessage { Version = SnmpVersion.V1, Community = "public"u8.ToArray(), Pdu = new SnmpPdu
            {
                Type = PduType.TrapV1, Enterprise = Oid.Parse("1.3.6.1.2.1.33.2"), AgentAddress = [127, 0, 0, 1], GenericTrap = 6, SpecificTrap = 1, TimeStamp = 5, VarBinds = vbs[2..4],
            } }),
            SnmpCodec.Encode(new SnmpMessage { Version = SnmpVersion.V2c, Community = "c"u8.ToArray(), Pdu = new SnmpPdu { Type = PduType.GetBulkRequest, RequestId = 9, NonRepeaters = 1, MaxRepetitions = 10, VarBinds = [new VarBind(Oid.Parse("1.3.6.1"))] } }),
        };
        list.AddRange(new[] { RealPacketTests.BulkResponse, RealPacketTests.V1Trap, RealPacketTests.V3AuthPrivResponse }.Select(Convert.FromHexString));
        foreach (var (a, p) in new[] { (AuthProtocol.None, PrivProtocol.None), (AuthProtocol.Sha1, PrivProtocol.Aes128), (AuthProtocol.Sha256, PrivProtocol.None) })
        {
            var user = new UsmUser("u", a, a == AuthProtocol.None ? null : "authpass123", p, p == PrivProtocol.None ? null : "privpass123");
            var flags = a == AuthProtocol.None ? V3Flags.Reportable : p == PrivProtocol.None ? V3Flags.Auth : V3Flags.Auth | V3Flags.Priv;
            list.Add(UsmProcessor.Encode(new SnmpMessage
            {
                Version = SnmpVersion.V3, MessageId = 77, Flags = flags, ContextEngineId = engine,
                Usm = new UsmParameters { EngineId = engine, EngineBoots = 1, EngineTime = 97, UserName = "u" },
                Pdu = new SnmpPdu { Type = PduType.Report, RequestId = 77, VarBinds = vbs[..3] },
            }, UsmCrypto.LocalizeUser(user, engine)));
        }
        return list;
    }

    private static byte[] Mutate(Random rng, byte[] seed)
    {
        var b = new List<byte>(seed);
        var edits = 1 + rng.Next(4);
        for (var e = 0; e < edits && b.Count > 0; e++)
        {
            var i = rng.Next(b.Count);
            switch (rng.Next(7))
            {
                case 0: b[i] ^= (byte)(1 << rng.Next(8)); break;
                case 1: b[i] = (byte)rng.Next(256); break;
                case 2: b.RemoveRange(i, b.Count - i); break;
                case 3: b.Insert(i, (byte)rng.Next(256)); break;
                case 4: b.RemoveAt(i); break;
                case 5: b[i] = (byte)(0x80 | rng.Next(1, 9)); break; // long-form length bait
                case 6: b[i] = new byte[] { 0x00, 0x7f, 0x80, 0xff, 0x30, 0xa2, 0x06 }[rng.Next(7)]; break;
            }
        }
        return b.ToArray();
    }

    /// <summary>
    /// Allocation bound per decoded packet: at most <see cref="BytesPerOctet"/> × packet size +
    /// <see cref="FixedBytes"/>. Why 16: the densest input is a run of minimal varbinds such as
    /// 30 06 06 01 00 06 01 00 (8 octets), which becomes a VarBind slot (16 bytes, the list is sized
    /// once), an SnmpValue (48) and two 2-arc OID arrays (32 each): 128 bytes, 16 per octet. Octet
    /// strings copy 1:1 plus a 24-byte array header, OIDs take at most 4 bytes per arc octet plus 24.
    /// The constant covers the message, PDU and list objects and, on rejection, the exception with its
    /// message and stack trace.
    /// </summary>
    private const int BytesPerOctet = 16;
    private const int FixedBytes = 2048; // measured worst: about 1.1 KB (a rejection: exception, message, stack trace)

    [Fact]
    public void Mutated_packets_decode_or_fail_with_the_typed_error_only()
    {
        var corpus = Corpus();
        corpus.ForEach(c => SnmpCodec.Decode(c)); // every seed is valid to begin with
        var rng = new Random(20261122);
        int ok = 0, rejected = 0;
        long worstExcess = long.MinValue;
        byte[] current = [];
        var sw = Stopwatch.StartNew();
        // On its own thread under a deadline: a decoder that loops forever fails the test (naming the
        // packet) instead of hanging the run. Allocation is counted on that thread only.
        var work = Task.Factory.StartNew(() =>
        {
            for (var n = 0; n < Mutations; n++)
            {
                var packet = Mutate(rng, corpus[n % corpus.Count]);
                Volatile.Write(ref current, packet);
                var before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    SnmpCodec.Decode(packet);
                    ok++;
                }
                catch (SnmpDecodeException e)
                {
                    if (e.Offset < 0 || e.Offset > packet.Length) Assert.Fail($"offset {e.Offset} outside {Convert.ToHexString(packet)}");
                    rejected++;
                }
                // Anything else escapes and fails the test with the seed-reproducible packet in the trace.
                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                var excess = allocated - (long)BytesPerOctet * packet.Length;
                worstExcess = Math.Max(worstExcess, excess);
                if (excess > FixedBytes) Assert.Fail($"allocated {allocated} bytes (> {BytesPerOctet} × {packet.Length} + {FixedBytes}) for {Convert.ToHexString(packet)}");
            }
        }, TaskCreationOptions.LongRunning);
        if (!work.Wait(TimeSpan.FromMinutes(2)))
            Assert.Fail($"the decoder hung (or crawled) on {Convert.ToHexString(Volatile.Read(ref current))}");
        sw.Stop();
        (ok + rejected).Should().Be(Mutations);
        ok.Should().BeGreaterThan(1000, "some mutations (values, ids) still decode");
        rejected.Should().BeGreaterThan(1000);
        output.WriteLine($"{ok} decoded, {rejected} rejected in {sw.Elapsed.TotalSeconds:0.0}s; worst allocation beyond {BytesPerOctet}/octet: {worstExcess} bytes");
    }

    [Fact]
    public void The_densest_varbind_list_stays_within_the_per_octet_bound()
    {
        // 200 minimal varbinds (8 octets each) with two-arc OIDs as name and value: the worst case above.
        var vbs = string.Concat(Enumerable.Repeat("3006060100060100", 200));
        var body = "020101" + "0401" + "63" + "a2" + "82" + (9 + 4 + vbs.Length / 2).ToString("x4") + "020101020100020100" + "3082" + (vbs.Length / 2).ToString("x4") + vbs;
        var packet = Convert.FromHexString("3082" + (body.Length / 2).ToString("x4") + body);
        SnmpCodec.Decode(packet).Pdu!.VarBinds.Should().HaveCount(200);
        var before = GC.GetAllocatedBytesForCurrentThread();
        SnmpCodec.Decode(packet);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{allocated} bytes for {packet.Length} octets");
        allocated.Should().BeLessThanOrEqualTo((long)BytesPerOctet * packet.Length + FixedBytes);
    }

    [Fact]
    public void Mutated_v3_packets_never_break_verification_either()
    {
        var engine = Convert.FromHexString("80001f880473696d6167656e743031");
        var keys = UsmCrypto.LocalizeUser(new UsmUser("u", AuthProtocol.Sha1, "authpass123", PrivProtocol.Aes128, "privpass123"), engine);
        var seed = Corpus()[7];
        var rng = new Random(7);
        var verified = 0;
        for (var n = 0; n < 5_000; n++)
        {
            var packet = Mutate(rng, seed);
            try
            {
                var msg = SnmpCodec.Decode(packet);
                UsmProcessor.Verify(packet, msg, keys);
                verified++;
            }
            catch (SnmpDecodeException) { }
            catch (SnmpSecurityException) { }
        }
        // A MAC over the whole message means essentially no mutation survives verification.
        verified.Should().BeLessThan(50);
    }
}
