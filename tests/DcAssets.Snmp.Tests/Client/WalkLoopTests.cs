using System.Net;
using System.Net.Sockets;
using DcAssets.Snmp.Tests.Infrastructure;

namespace DcAssets.Snmp.Tests.Client;

/// <summary>
/// Walks against a misbehaving agent. net-snmp's snmpd cannot be made to loop, so a tiny UDP agent
/// here answers each GetNext/GetBulk from a fixed script; real agents are covered in ClientV2cTests.
/// </summary>
public sealed class WalkLoopTests
{
    private const string Root = "1.3.6.1.2.1.1";

    /// <summary>Answers every request with what <paramref name="answer"/> gives for its first OID.</summary>
    private sealed class ScriptedAgent : IAsyncDisposable
    {
        private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public ScriptedAgent(Func<Oid, IReadOnlyList<VarBind>> answer)
        {
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    UdpReceiveResult r;
                    try { r = await _udp.ReceiveAsync(_stop.Token); }
                    catch (OperationCanceledException) { return; }
                    var req = SnmpCodec.Decode(r.Buffer);
                    Requests++;
                    var reply = SnmpCodec.Encode(new SnmpMessage
                    {
                        Version = req.Version, Community = req.Community,
                        Pdu = new SnmpPdu { Type = PduType.Response, RequestId = req.Pdu!.RequestId, VarBinds = answer(req.Pdu.VarBinds[0].Oid) },
                    });
                    await _udp.SendAsync(reply, r.RemoteEndPoint);
                }
            });
        }

        public int Requests;
        public SnmpTarget Target => new((IPEndPoint)_udp.Client.LocalEndPoint!) { Timeout = TimeSpan.FromSeconds(2), Retries = 1 };

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await _loop;
            _udp.Dispose();
        }
    }

    private static VarBind Int(string oid, int v) => new(Oid.Parse(oid), SnmpValue.Integer32(v));

    private static async Task<(List<string> Seen, SnmpWalkLoopException Error)> WalkUntilLoopAsync(ScriptedAgent agent, int maxRepetitions)
    {
        await using var client = new SnmpClient();
        var seen = new List<string>();
        var walk = async () => { await foreach (var vb in client.WalkAsync(agent.Target, Oid.Parse(Root), maxRepetitions)) seen.Add(vb.Oid.ToString()); };
        var e = (await walk.Should().ThrowAsync<SnmpWalkLoopException>()).Which;
        return (seen, e);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public async Task An_agent_that_answers_with_the_same_OID_again_is_a_loop(int maxRepetitions)
    {
        // Always answers .1.0 -> .2.0 -> .2.0 ...: the second .2.0 does not follow the first.
        await using var agent = new ScriptedAgent(from => [Oid.Parse(Root + ".1.0") > from ? Int(Root + ".1.0", 1) : Int(Root + ".2.0", 2)]);
        var (seen, e) = await WalkUntilLoopAsync(agent, maxRepetitions);
        seen.Should().Equal(Root + ".1.0", Root + ".2.0");
        (e.Previous.ToString(), e.Returned.ToString()).Should().Be((Root + ".2.0", Root + ".2.0"));
    }

    [Fact]
    public async Task An_OID_that_goes_backwards_inside_the_subtree_is_a_loop()
    {
        await using var agent = new ScriptedAgent(_ => [Int(Root + ".5.0", 5), Int(Root + ".3.0", 3)]);
        var (seen, e) = await WalkUntilLoopAsync(agent, 10);
        seen.Should().Equal(Root + ".5.0");
        e.Returned.ToString().Should().Be(Root + ".3.0");
    }

    [Fact]
    public async Task An_agent_that_answers_with_the_root_itself_is_a_loop()
    {
        await using var agent = new ScriptedAgent(_ => [Int(Root, 0)]);
        var (seen, e) = await WalkUntilLoopAsync(agent, 0);
        seen.Should().BeEmpty();
        (e.Previous.ToString(), e.Returned.ToString()).Should().Be((Root, Root));
        agent.Requests.Should().Be(1, "the walk stops at the first bad answer instead of asking again");
    }

    [Fact]
    public async Task Leaving_the_subtree_even_backwards_ends_the_walk_as_snmpwalk_does()
    {
        await using var agent = new ScriptedAgent(from => from == Oid.Parse(Root) ? [Int(Root + ".1.0", 1)] : [Int("1.3.6.1.2.0", 9)]);
        await using var client = new SnmpClient();
        var seen = new List<string>();
        await foreach (var vb in client.WalkAsync(agent.Target, Oid.Parse(Root), 0)) seen.Add(vb.Oid.ToString());
        seen.Should().Equal(Root + ".1.0");
    }
}
